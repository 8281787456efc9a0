import { QueryTypes } from 'sequelize';
import type { Practice } from '../models/practice';
import type { SlotQuery } from '../scheduling';
import type { Store } from '../models/store';
import { bookableRow, type BookableRow } from './bookable';
import { loadSlotQuery } from './schedule';

const DAY_MS = 86_400_000;
// As in loadSlotQuery: a day each side of the range covers any buffer and service length.
const CONTEXT_MS = DAY_MS;
// Entries per map; the oldest go first. A practice network's portals and clinician × service pairs fit many times.
const MAX_ENTRIES = 20_000;

/** What an availability question is computed from, the practice null when the slug names no open portal. */
export interface PortalSchedule {
  practice: Practice | null;
  row: BookableRow;
  /** Everything but the zone, which the caller picks (the visitor's or the practice's). */
  query: Omit<SlotQuery, 'timeZone'>;
}

type Rarely = Pick<SlotQuery, 'rules' | 'preferences' | 'durationMinutes'>;

/**
 * What changes rarely behind an availability question, kept in this process: the practice by slug, the
 * clinician × service row bookableFor judges, the clinician's rules and preferences. Each entry carries the
 * practice's version (portal_cache_versions, raised by triggers in the transaction of any change to those rows),
 * and every question reads the current version in the same round trip as its time off and holds, which are never
 * kept: a committed change is seen by every process on its very next question, with no message to miss or to
 * arrive late (LISTEN/NOTIFY would deliver after the commit, so a question could still race it), and a question
 * costs one round trip instead of three.
 */
export class PortalCache {
  private readonly practices = new Map<string, { practice: Practice; version: string }>();
  private readonly schedules = new Map<string, { version: string; row: BookableRow; rarely: Rarely }>();

  /** The question's inputs, from memory where the practice's version is unchanged, else read afresh. */
  async load(
    db: Store,
    q: { slug: string; clinicianId: string; serviceId: string; from: Date; to: Date; now: Date },
  ): Promise<PortalSchedule> {
    const slug = q.slug.toLowerCase();
    const practice = this.practices.get(slug);
    const schedule = practice && this.schedules.get(scheduleKey(practice.practice.id, q));
    if (practice && schedule && schedule.version === practice.version) {
      const fresh = await readChanging(db, practice.practice.id, schedule.row.clinician_id, q);
      if (fresh.version === practice.version)
        return {
          practice: practice.practice,
          row: schedule.row,
          query: { ...schedule.rarely, ...fresh.query },
        };
    }
    return this.reload(db, slug, q);
  }

  private async reload(
    db: Store,
    slug: string,
    q: { clinicianId: string; serviceId: string; from: Date; to: Date; now: Date },
  ): Promise<PortalSchedule> {
    // The version first: a change committed between it and the rows below makes the entries look older than they
    // are, so they are read again next time; never the other way round.
    const [found] = await db.sequelize.query<{ version: string | null }>(
      `SELECT v.version::text AS version FROM practices p LEFT JOIN portal_cache_versions v ON v.practice_id = p.id
        WHERE p.slug = :slug AND p.portal_enabled`,
      { replacements: { slug }, type: QueryTypes.SELECT },
    );
    const practice = found && (await db.Practice.findOne({ where: { slug, portalEnabled: true } }));
    this.practices.delete(slug);
    if (!practice) return { practice: null, row: emptyRow, query: emptyQuery(q) };
    const row = await bookableRow(db, practice.id, q.clinicianId, q.serviceId);
    if (!row.clinician_id) return { practice, row, query: emptyQuery(q) };
    const full = await loadSlotQuery(db, {
      clinicianId: row.clinician_id,
      durationMinutes: row.duration_minutes ?? 0,
      from: q.from,
      to: q.to,
      now: q.now,
      timeZone: practice.timeZone,
    });
    if (found.version !== null) {
      remember(this.practices, slug, { practice, version: found.version });
      remember(this.schedules, scheduleKey(practice.id, q), {
        version: found.version,
        row,
        rarely: { rules: full.rules, preferences: full.preferences, durationMinutes: full.durationMinutes },
      });
    }
    const { timeZone: _zone, ...query } = full;
    return { practice, row, query };
  }
}

const scheduleKey = (practiceId: string, q: { clinicianId: string; serviceId: string }) =>
  `${practiceId}|${q.clinicianId}|${q.serviceId}`;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  // Map order is insertion order: the oldest entry goes first.
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

const emptyRow: BookableRow = {
  clinician_id: null,
  online_booking_enabled: null,
  initial_consultation_service_id: null,
  service_id: null,
  service_name: null,
  duration_minutes: null,
};

function emptyQuery(q: { from: Date; to: Date; now: Date }): PortalSchedule['query'] {
  return {
    rules: [],
    timeOff: [],
    busy: [],
    preferences: {
      startTimeIntervalMinutes: 15,
      minimumNoticeHours: 0,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    },
    durationMinutes: 0,
    from: q.from,
    to: q.to,
    now: q.now,
  };
}

/**
 * The practice's version with the clinician's time off and holds around the range, as loadSlotQuery reads them
 * (the same filters and context), in one round trip.
 */
async function readChanging(
  db: Store,
  practiceId: string,
  clinicianId: string | null,
  q: { from: Date; to: Date; now: Date },
): Promise<{ version: string | null; query: Pick<SlotQuery, 'timeOff' | 'busy' | 'from' | 'to' | 'now'> }> {
  const [row] = await db.sequelize.query<{
    version: string | null;
    time_off: [number, number][];
    busy: [number, number][];
  }>(
    `SELECT
       (SELECT version::text FROM portal_cache_versions WHERE practice_id = :practiceId) AS version,
       (SELECT coalesce(json_agg(json_build_array(
                 (extract(epoch FROM starts_at) * 1000)::bigint, (extract(epoch FROM ends_at) * 1000)::bigint)), '[]')
          FROM time_off
         WHERE clinician_id = :clinicianId AND starts_at < :to AND ends_at > :from) AS time_off,
       (SELECT coalesce(json_agg(json_build_array(
                 (extract(epoch FROM lower(during)) * 1000)::bigint, (extract(epoch FROM upper(during)) * 1000)::bigint)), '[]')
          FROM time_holds
         WHERE clinician_id = :clinicianId AND during && tstzrange(:from, :to)) AS busy`,
    {
      replacements: {
        practiceId,
        clinicianId,
        from: new Date(q.from.getTime() - CONTEXT_MS),
        to: new Date(q.to.getTime() + CONTEXT_MS),
      },
      type: QueryTypes.SELECT,
    },
  );
  const interval = ([start, end]: [number, number]) => ({
    start: new Date(Number(start)),
    end: new Date(Number(end)),
  });
  return {
    version: row.version,
    query: {
      timeOff: row.time_off.map(interval),
      busy: row.busy.map(interval),
      from: q.from,
      to: q.to,
      now: q.now,
    },
  };
}
