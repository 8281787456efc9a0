import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { appointmentUid, escapeText, formatUtc, serializeIcs } from '../emails/ics';
import { linkTokenHash, type OneTimeCodes } from './oneTimeCodes';
import { recordStaffChange, type StaffActor } from './audit';
import type { Store } from '../models/store';

/**
 * The window a feed shows. Eight weeks back keeps the last two sessions of a fortnightly client and a month of
 * billing within reach on the phone; older history lives in the dashboard. Six months ahead covers how far
 * practices book. A subscribed calendar replaces its copy on each refresh, so events leave it as the window moves.
 */
export const FEED_DAYS_BACK = 56;
export const FEED_DAYS_AHEAD = 183;
/** A bound on one answer's work whatever the data: far more than a full-time clinician has in the window. */
const MAX_FEED_EVENTS = 5000;
/** Appointment statuses that took (or will take) the clinician's time; canceled ones are left out of the feed. */
const FEED_STATUSES = ['scheduled', 'show', 'no_show'];

/** A clinician's feed as the dashboard sees it: the token is derived again from the row, never stored. */
export interface CalendarFeed {
  token: string;
  createdAt: Date;
}

/** The feed of a clinician, or null when they have none. */
export async function calendarFeedOf(
  db: Store,
  codes: OneTimeCodes,
  clinicianId: string,
): Promise<CalendarFeed | null> {
  const [row] = await db.sequelize.query<{ id: string; created_at: Date }>(
    'SELECT id, created_at FROM calendar_feeds WHERE clinician_id = :clinicianId',
    { replacements: { clinicianId }, type: QueryTypes.SELECT },
  );
  return row
    ? { token: codes.linkToken('calendar-feed', row.id), createdAt: new Date(row.created_at) }
    : null;
}

/**
 * Turns a clinician's feed on, or rotates it: a new row id gives a new token and replaces the old hash in the same
 * statement, so the old address answers 404 from the moment this commits. Audited (never the token).
 */
export async function enableCalendarFeed(
  db: Store,
  codes: OneTimeCodes,
  actor: StaffActor,
  input: { clinicianId: string; now: Date },
): Promise<CalendarFeed> {
  const id = randomUUID();
  const token = codes.linkToken('calendar-feed', id);
  return db.sequelize.transaction(async (transaction) => {
    const [before] = await db.sequelize.query<{ created_at: Date }>(
      'SELECT created_at FROM calendar_feeds WHERE clinician_id = :clinicianId FOR UPDATE',
      { replacements: { clinicianId: input.clinicianId }, type: QueryTypes.SELECT, transaction },
    );
    await db.sequelize.query(
      `INSERT INTO calendar_feeds (clinician_id, id, token_hash, created_at, created_by)
       VALUES (:clinicianId, :id, :tokenHash, :now, :actorId)
       ON CONFLICT (clinician_id) DO UPDATE
         SET id = EXCLUDED.id, token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at,
             created_by = EXCLUDED.created_by`,
      {
        replacements: {
          clinicianId: input.clinicianId,
          id,
          tokenHash: linkTokenHash(token),
          now: input.now,
          actorId: actor.id,
        },
        transaction,
      },
    );
    await recordStaffChange(db, transaction, actor, {
      action: before ? 'calendar_feed.rotate' : 'calendar_feed.create',
      entity: 'clinician',
      entityId: input.clinicianId,
      oldValue: before ? { enabled: true, createdAt: new Date(before.created_at).toISOString() } : null,
      newValue: { enabled: true, createdAt: input.now.toISOString() },
    });
    return { token, createdAt: input.now };
  });
}

/** Turns a clinician's feed off (its address answers 404 at once); false when there was none, nothing written. */
export async function disableCalendarFeed(
  db: Store,
  actor: StaffActor,
  input: { clinicianId: string },
): Promise<boolean> {
  return db.sequelize.transaction(async (transaction) => {
    const deleted = await db.sequelize.query<{ created_at: Date }>(
      'DELETE FROM calendar_feeds WHERE clinician_id = :clinicianId RETURNING created_at',
      { replacements: { clinicianId: input.clinicianId }, type: QueryTypes.SELECT, transaction },
    );
    if (!deleted.length) return false;
    await recordStaffChange(db, transaction, actor, {
      action: 'calendar_feed.delete',
      entity: 'clinician',
      entityId: input.clinicianId,
      oldValue: { enabled: true, createdAt: new Date(deleted[0].created_at).toISOString() },
      newValue: { enabled: false },
    });
    return true;
  });
}

interface FeedRow {
  clinician_first_name: string;
  clinician_last_name: string;
  time_zone: string;
  practice_name: string;
  kind: 'appointment' | 'request' | null;
  event_id: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  updated_at: Date | null;
  service_name: string | null;
  first_initial: string | null;
  last_initial: string | null;
}

/**
 * The iCalendar text of the feed a token opens, or null for a token that opens none (unknown, rotated, turned off,
 * or a deactivated clinician): the clinician's appointments and, as tentative holds, their pending requests. One
 * query. Clients' initials are cut in SQL, so no name, address, phone, note or
 * message of a client is ever read for a feed, let alone written into one.
 */
export async function renderCalendarFeed(
  db: Store,
  input: { token: string; now: Date },
): Promise<string | null> {
  const day = 86_400_000;
  // LATERAL, so each branch of the union reads only this clinician's index range, whatever the tables hold.
  const rows = await db.sequelize.query<FeedRow>(
    `SELECT u.first_name AS clinician_first_name, u.last_name AS clinician_last_name,
            coalesce(u.time_zone, p.time_zone) AS time_zone, p.name AS practice_name,
            e.kind, e.id AS event_id, e.starts_at, e.ends_at, e.updated_at, s.name AS service_name,
            e.first_initial, e.last_initial
       FROM calendar_feeds f
       JOIN staff_users u ON u.id = f.clinician_id AND u.active
       JOIN practices p ON p.id = u.practice_id
       LEFT JOIN LATERAL (
         SELECT 'appointment' AS kind, a.id, a.starts_at, a.ends_at, a.updated_at, a.service_id,
                upper(left(btrim(c.first_name), 1)) AS first_initial,
                upper(left(btrim(c.last_name), 1)) AS last_initial
           FROM appointments a JOIN clients c ON c.id = a.client_id
          WHERE a.clinician_id = f.clinician_id AND a.status IN (:statuses)
            AND a.ends_at > :from AND a.starts_at < :to
         UNION ALL
         SELECT 'request', r.id, r.starts_at, r.ends_at, r.updated_at, r.service_id,
                upper(left(btrim(coalesce(c.first_name, r.new_client->>'firstName')), 1)),
                upper(left(btrim(coalesce(c.last_name, r.new_client->>'lastName')), 1))
           FROM appointment_requests r LEFT JOIN clients c ON c.id = r.client_id
          WHERE r.clinician_id = f.clinician_id AND r.status = 'pending'
            AND r.ends_at > :from AND r.starts_at < :to
       ) e ON true
       LEFT JOIN services s ON s.id = e.service_id
      WHERE f.token_hash = :tokenHash
      ORDER BY e.starts_at, e.id
      LIMIT :limit`,
    {
      replacements: {
        tokenHash: linkTokenHash(input.token),
        statuses: FEED_STATUSES,
        from: new Date(input.now.getTime() - FEED_DAYS_BACK * day),
        to: new Date(input.now.getTime() + FEED_DAYS_AHEAD * day),
        limit: MAX_FEED_EVENTS,
      },
      type: QueryTypes.SELECT,
    },
  );
  if (!rows.length) return null;
  const head = rows[0];
  const calendarName = `${head.clinician_first_name} ${head.clinician_last_name} · ${head.practice_name}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Practice Booking//Calendar feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(calendarName)}`,
    `NAME:${escapeText(calendarName)}`,
    `X-WR-TIMEZONE:${escapeText(head.time_zone)}`,
    // Apple and Outlook read these (RFC 7986 and its predecessor); Google refreshes on its own schedule.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const row of rows) {
    if (!row.event_id) continue;
    const request = row.kind === 'request';
    // The row's last change, not the request's moment: an unchanged feed stays byte for byte the same, so its
    // ETag lets polling calendars skip it.
    const stamp = formatUtc(new Date(row.updated_at!));
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(request ? requestUid(row.event_id) : appointmentUid(row.event_id))}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${stamp}`,
      `DTSTART:${formatUtc(new Date(row.starts_at!))}`,
      `DTEND:${formatUtc(new Date(row.ends_at!))}`,
      `SUMMARY:${escapeText(`${request ? 'Requested: ' : ''}${feedSummary(row)}`)}`,
      // A pending request holds the time until the clinician decides: tentative, and still busy.
      `STATUS:${request ? 'TENTATIVE' : 'CONFIRMED'}`,
      'CLASS:PRIVATE',
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return serializeIcs(lines);
}

/** A pending request's event: its own UID, since approval makes an appointment (with its own) in its place. */
function requestUid(requestId: string): string {
  return `request-${requestId}@practice-booking`;
}

/** "R.R. · Individual therapy": enough for the clinician to know the session, nothing that names the client. */
function feedSummary(row: FeedRow): string {
  const initials = [row.first_initial, row.last_initial]
    .filter((i): i is string => !!i)
    .map((i) => `${i}.`)
    .join('');
  return `${initials || 'Client'} · ${row.service_name}`;
}
