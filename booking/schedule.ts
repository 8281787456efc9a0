import { QueryTypes, type Transaction } from 'sequelize';
import { defaultBookingPreferences } from '../models/bookingPreferences';
import type { SlotQuery } from '../scheduling';
import type { Store } from '../models/store';

const DAY_MS = 86_400_000;
// Buffers (at most 240 + 240 minutes) and a service (at most 480) reach at most 16 hours past a busy interval;
// a day on each side of the range is always enough context.
const CONTEXT_MS = DAY_MS;

/** Which holds count as busy: listing and submitting respect pending requests too; approving only appointments. */
export type BusyKinds = 'requests-and-appointments' | 'appointments';

interface ScheduleRow {
  prefs: {
    start_time_interval_minutes: number;
    minimum_notice_hours: number;
    buffer_before_minutes: number;
    buffer_after_minutes: number;
  } | null;
  rules: {
    rrule: string;
    startDate: string;
    until: string | null;
    startTime: string;
    endTime: string;
    timeZone: string;
  }[];
  time_off: [number, number][];
  busy: [number, number][];
}

/**
 * Everything the slot engine needs for one clinician, service duration and range, read in one place (and one
 * round trip: the availability endpoint is the product's hottest path) so the availability list, request
 * submission and approval all judge a slot from the same data.
 */
export async function loadSlotQuery(
  db: Store,
  opts: {
    clinicianId: string;
    durationMinutes: number;
    from: Date;
    to: Date;
    now: Date;
    timeZone: string;
    busy?: BusyKinds;
    excludeHoldId?: string;
    transaction?: Transaction;
  },
): Promise<SlotQuery> {
  const [row] = await db.sequelize.query<ScheduleRow>(
    `SELECT
       (SELECT row_to_json(p) FROM (
          SELECT start_time_interval_minutes, minimum_notice_hours, buffer_before_minutes, buffer_after_minutes
            FROM booking_preferences WHERE clinician_id = :clinicianId) p) AS prefs,
       (SELECT coalesce(json_agg(json_build_object(
                 'rrule', rrule, 'startDate', to_char(start_date, 'YYYY-MM-DD'),
                 'until', to_char(until, 'YYYY-MM-DD'), 'startTime', to_char(start_time, 'HH24:MI'),
                 'endTime', to_char(end_time, 'HH24:MI'), 'timeZone', time_zone) ORDER BY created_at, id), '[]')
          FROM availability_rules WHERE clinician_id = :clinicianId) AS rules,
       (SELECT coalesce(json_agg(json_build_array(
                 (extract(epoch FROM starts_at) * 1000)::bigint, (extract(epoch FROM ends_at) * 1000)::bigint)), '[]')
          FROM time_off
         WHERE clinician_id = :clinicianId AND starts_at < :to AND ends_at > :from) AS time_off,
       (SELECT coalesce(json_agg(json_build_array(
                 (extract(epoch FROM lower(during)) * 1000)::bigint, (extract(epoch FROM upper(during)) * 1000)::bigint)), '[]')
          FROM time_holds
         WHERE clinician_id = :clinicianId AND during && tstzrange(:from, :to)
           ${opts.busy === 'appointments' ? "AND kind = 'appointment'" : ''}
           ${opts.excludeHoldId ? 'AND id <> :excludeHoldId' : ''}) AS busy`,
    {
      replacements: {
        clinicianId: opts.clinicianId,
        from: new Date(opts.from.getTime() - CONTEXT_MS),
        to: new Date(opts.to.getTime() + CONTEXT_MS),
        excludeHoldId: opts.excludeHoldId ?? null,
      },
      type: QueryTypes.SELECT,
      transaction: opts.transaction,
    },
  );
  const p = row.prefs;
  return {
    rules: row.rules,
    timeOff: row.time_off.map(([start, end]) => ({
      start: new Date(Number(start)),
      end: new Date(Number(end)),
    })),
    busy: row.busy.map(([start, end]) => ({ start: new Date(Number(start)), end: new Date(Number(end)) })),
    preferences: p
      ? {
          startTimeIntervalMinutes: p.start_time_interval_minutes,
          minimumNoticeHours: p.minimum_notice_hours,
          bufferBeforeMinutes: p.buffer_before_minutes,
          bufferAfterMinutes: p.buffer_after_minutes,
        }
      : {
          startTimeIntervalMinutes: defaultBookingPreferences.startTimeIntervalMinutes,
          minimumNoticeHours: defaultBookingPreferences.minimumNoticeHours,
          bufferBeforeMinutes: defaultBookingPreferences.bufferBeforeMinutes,
          bufferAfterMinutes: defaultBookingPreferences.bufferAfterMinutes,
        },
    durationMinutes: opts.durationMinutes,
    from: opts.from,
    to: opts.to,
    now: opts.now,
    timeZone: opts.timeZone,
  };
}

/** Serialises every slot decision for one clinician (submit, approve) until the transaction ends. */
export async function lockClinicianSchedule(
  db: Store,
  clinicianId: string,
  transaction: Transaction,
): Promise<void> {
  await db.sequelize.query('SELECT id FROM staff_users WHERE id = :clinicianId FOR UPDATE', {
    replacements: { clinicianId },
    transaction,
  });
}
