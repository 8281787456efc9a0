import { QueryTypes, type Transaction } from 'sequelize';
import type { Appointment, AppointmentStatus } from '../models/appointment';
import type { Client } from '../models/client';
import type { Practice } from '../models/practice';
import type { Service } from '../models/service';
import type { StaffUser } from '../models/staffUser';
import type { Store } from '../models/store';
import { changedFields, recordStaffChange, type StaffActor } from './audit';
import { hasStarted } from './rules/started';
import { nextReminder, type ReminderMoment } from './rules/reminders';
import { remindersWanted } from './reminderOptOut';
import { toReminderSettings } from './views';

/** Settings › Practice › Reminders. */
export interface ReminderSettings {
  enabled: boolean;
  offsetsHours: number[];
}

/** A reminder recorded for an appointment: sent, or passed over on purpose (reminders off, no recipient). */
export interface RecordedReminder {
  startsAt: string;
  offsetHours: number;
  outcome: 'sent' | 'skipped';
  reason: string | null;
  recordedAt: string;
}

/** What the appointment's workflow needs to know next; ids, times and status words only (DESIGN.md section 9). */
export interface ReminderPlan {
  practiceId: string;
  clinicianId: string;
  status: AppointmentStatus;
  startsAt: string;
  /** The next reminder moment (maybe already past: due now), or null when none is left for this start time. */
  next: { at: string; offsetHours: number } | null;
  sent: { startsAt: string; offsetHours: number; at: string }[];
  /**
   * The moment this plan was made for. The workflow measures its sleep and "has it started" from here, not from
   * its own clock, so every reminder decision reads one time: the activity's (the later of the worker's clock and
   * Temporal's), the same the send re-checks with.
   */
  decidedAt: string;
}

/** Changes the practice's reminder settings and records the change, in one transaction; no change writes nothing. */
export async function updateReminderSettings(
  db: Store,
  staff: StaffActor,
  changes: Partial<ReminderSettings>,
): Promise<Practice> {
  return db.sequelize.transaction(async (transaction) => {
    const practice = await db.Practice.findByPk(staff.practiceId, {
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!practice) throw new Error(`practice ${staff.practiceId} of a signed-in user is missing`);
    // Stored earliest first, so the settings read the same however they were typed.
    const next = {
      ...changes,
      ...(changes.offsetsHours ? { offsetsHours: [...changes.offsetsHours].sort((a, b) => b - a) } : {}),
    };
    const diff = changedFields(toReminderSettings(practice), next);
    if (!diff) return practice;
    await practice.update(
      {
        ...(diff.newValue.enabled !== undefined ? { remindersEnabled: diff.newValue.enabled } : {}),
        ...(diff.newValue.offsetsHours ? { reminderOffsetsHours: diff.newValue.offsetsHours } : {}),
      },
      { transaction },
    );
    await recordStaffChange(db, transaction, staff, {
      action: 'practice.reminders.update',
      entity: 'practice',
      entityId: practice.id,
      ...diff,
    });
    return practice;
  });
}

async function recordedReminders(
  db: Store,
  appointmentId: string,
  transaction?: Transaction,
): Promise<RecordedReminder[]> {
  const rows = await db.sequelize.query<{
    starts_at: Date;
    offset_hours: number;
    outcome: 'sent' | 'skipped';
    reason: string | null;
    recorded_at: Date;
  }>(
    `SELECT starts_at, offset_hours, outcome, reason, recorded_at FROM appointment_reminders
      WHERE appointment_id = :appointmentId ORDER BY recorded_at, offset_hours DESC`,
    { replacements: { appointmentId }, type: QueryTypes.SELECT, transaction },
  );
  return rows.map((r) => ({
    startsAt: r.starts_at.toISOString(),
    offsetHours: r.offset_hours,
    outcome: r.outcome,
    reason: r.reason,
    recordedAt: r.recorded_at.toISOString(),
  }));
}

async function timeSetAt(db: Store, appointmentId: string, transaction?: Transaction): Promise<Date> {
  const [row] = await db.sequelize.query<{ time_set_at: Date }>(
    'SELECT time_set_at FROM appointments WHERE id = :appointmentId',
    { replacements: { appointmentId }, type: QueryTypes.SELECT, transaction },
  );
  return row.time_set_at;
}

/** The one rule applied to the database's state: the next reminder of this appointment at `now`. */
async function dueReminder(
  db: Store,
  appointment: Appointment,
  practice: Practice,
  recorded: RecordedReminder[],
  now: Date,
  transaction?: Transaction,
): Promise<ReminderMoment | null> {
  if (appointment.status !== 'scheduled') return null;
  const startsAt = appointment.startsAt.toISOString();
  return nextReminder({
    startsAt: appointment.startsAt,
    timeSetAt: await timeSetAt(db, appointment.id, transaction),
    offsetsHours: practice.reminderOffsetsHours,
    handled: recorded.filter((r) => r.startsAt === startsAt).map((r) => r.offsetHours),
    now,
  });
}

/**
 * What an appointment's reminders stand at, from the database alone: its status and start, the next reminder
 * moment by the practice's current settings, and the reminders sent so far. Null when there is no such
 * appointment (yet: the booking's transaction may still be committing).
 */
export async function planReminders(
  db: Store,
  appointmentId: string,
  now: Date,
): Promise<ReminderPlan | null> {
  const appointment = await db.Appointment.findByPk(appointmentId);
  if (!appointment) return null;
  const practice = (await db.Practice.findByPk(appointment.practiceId))!;
  const recorded = await recordedReminders(db, appointmentId);
  const next = await dueReminder(db, appointment, practice, recorded, now);
  return {
    practiceId: appointment.practiceId,
    clinicianId: appointment.clinicianId,
    status: appointment.status,
    startsAt: appointment.startsAt.toISOString(),
    next: next && { at: next.at.toISOString(), offsetHours: next.offsetHours },
    sent: recorded
      .filter((r) => r.outcome === 'sent')
      .map((r) => ({ startsAt: r.startsAt, offsetHours: r.offsetHours, at: r.recordedAt })),
    decidedAt: now.toISOString(),
  };
}

/**
 * Who receives an appointment's reminder, or null when nobody should. The one place that decides it, so a client's
 * choice (the reminder opt-out) is checked here and nowhere else.
 */
export async function reminderRecipient(
  db: Store,
  appointment: Appointment,
  transaction: Transaction,
): Promise<Client | null> {
  // The client's own choice (booking/reminderOptOut.ts): off by the email's link, back on from the portal.
  if (!(await remindersWanted(db, appointment.clientId, transaction))) return null;
  return db.Client.findByPk(appointment.clientId, { transaction });
}

/** Everything a reminder email says, read in the claim's transaction. */
export interface ReminderContext {
  appointment: Appointment;
  practice: Practice;
  clinician: StaffUser;
  service: Service;
  client: Client;
  offsetHours: number;
}

/** What a reminder claim did: sent (recorded), skipped (recorded, on purpose), or stale (nothing recorded: ask again). */
export type ReminderClaim =
  | { outcome: 'sent' }
  | { outcome: 'skipped'; reason: 'reminders-off' | 'no-recipient' | 'email-rejected' }
  | { outcome: 'stale'; reason: 'not-scheduled' | 'started' | 'moved' | 'not-due' };

async function record(
  db: Store,
  transaction: Transaction,
  row: { appointmentId: string; startsAt: Date; offsetHours: number; outcome: string; reason: string | null },
  now: Date,
): Promise<void> {
  await db.sequelize.query(
    `INSERT INTO appointment_reminders (appointment_id, starts_at, offset_hours, outcome, reason, recorded_at)
      VALUES (:appointmentId, :startsAt, :offsetHours, :outcome, :reason, :now)`,
    { replacements: { ...row, now }, transaction },
  );
}

/**
 * Claims and delivers one reminder in one transaction, under the appointment's row lock (which reschedules and
 * cancelations take too, so each is ordered before or after it): re-checks at send time that the appointment is
 * still scheduled at the start the workflow planned for, has not started, and that this offset is the one due now
 * by the practice's current settings and what was already recorded; then records the row and calls `deliver`.
 * A failed delivery rolls the row back (the activity's retry re-checks everything); a delivery whose commit
 * failed is sent again under the same idempotency key, which the provider answers without a second email. The
 * row lock is held for the send (bounded by the activity's 30 s timeout): a cancelation arriving meanwhile waits
 * for it rather than racing it.
 */
export async function claimReminder(
  db: Store,
  input: { appointmentId: string; startsAt: Date; offsetHours: number; now: Date },
  deliver: (ctx: ReminderContext) => Promise<'sent' | 'rejected'>,
): Promise<ReminderClaim> {
  return db.sequelize.transaction(async (transaction) => {
    const appointment = await db.Appointment.findByPk(input.appointmentId, {
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!appointment || appointment.status !== 'scheduled')
      return { outcome: 'stale', reason: 'not-scheduled' };
    if (hasStarted(appointment, input.now)) return { outcome: 'stale', reason: 'started' };
    if (appointment.startsAt.getTime() !== input.startsAt.getTime())
      return { outcome: 'stale', reason: 'moved' };
    const practice = (await db.Practice.findByPk(appointment.practiceId, { transaction }))!;
    const recorded = await recordedReminders(db, appointment.id, transaction);
    const due = await dueReminder(db, appointment, practice, recorded, input.now, transaction);
    if (!due || due.offsetHours !== input.offsetHours || due.at.getTime() > input.now.getTime())
      return { outcome: 'stale', reason: 'not-due' };
    const row = {
      appointmentId: appointment.id,
      startsAt: appointment.startsAt,
      offsetHours: input.offsetHours,
    };
    if (!practice.remindersEnabled) {
      await record(db, transaction, { ...row, outcome: 'skipped', reason: 'reminders-off' }, input.now);
      return { outcome: 'skipped', reason: 'reminders-off' };
    }
    const client = await reminderRecipient(db, appointment, transaction);
    if (!client) {
      await record(db, transaction, { ...row, outcome: 'skipped', reason: 'no-recipient' }, input.now);
      return { outcome: 'skipped', reason: 'no-recipient' };
    }
    const [clinician, service] = await Promise.all([
      db.StaffUser.findByPk(appointment.clinicianId, { transaction }),
      db.Service.findByPk(appointment.serviceId, { transaction }),
    ]);
    await record(db, transaction, { ...row, outcome: 'sent', reason: null }, input.now);
    const delivered = await deliver({
      appointment,
      practice,
      clinician: clinician!,
      service: service!,
      client,
      offsetHours: due.offsetHours,
    });
    if (delivered === 'sent') return { outcome: 'sent' };
    // A provider's permanent refusal (a bad address) is recorded, or the workflow would ask for it forever.
    await db.sequelize.query(
      `UPDATE appointment_reminders SET outcome = 'skipped', reason = 'email-rejected'
        WHERE appointment_id = :appointmentId AND starts_at = :startsAt AND offset_hours = :offsetHours`,
      { replacements: row, transaction },
    );
    return { outcome: 'skipped', reason: 'email-rejected' };
  });
}

/** Scheduled appointments still ahead at `now`, oldest first, for the backfill; ids only. */
export async function futureScheduledAppointments(
  db: Store,
  now: Date,
): Promise<{ id: string; practiceId: string; clinicianId: string }[]> {
  return db.sequelize.query(
    `SELECT id, practice_id AS "practiceId", clinician_id AS "clinicianId" FROM appointments
      WHERE status = 'scheduled' AND starts_at > :now ORDER BY starts_at, id`,
    { replacements: { now }, type: QueryTypes.SELECT },
  );
}
