/**
 * Appointment reminders, the rules every side shares: when the next reminder of an appointment is due, and the
 * names by which the API and the activities reach its workflow. Pure (no I/O, no clock of its own), so the
 * workflow may import it too.
 */

/** Workflow id of an appointment's reminders: from the appointment id only, never from personal data. */
export const appointmentWorkflowId = (appointmentId: string) => `appointment-${appointmentId}`;
/** The workflow type, for callers that may not import the workflow module (activities). */
export const appointmentWorkflowType = 'appointmentWorkflow';
/** The signal that only wakes the workflow to ask the database again; it carries nothing. */
export const appointmentChangedSignalName = 'appointmentChanged';

/** At most this many reminders per appointment, each 1 hour to 14 days before the start. */
export const MAX_REMINDER_OFFSETS = 3;
export const MIN_REMINDER_OFFSET_HOURS = 1;
export const MAX_REMINDER_OFFSET_HOURS = 336;
/** A new practice reminds two days and two hours ahead. */
export const DEFAULT_REMINDER_OFFSETS_HOURS = [48, 2];

const HOUR_MS = 3_600_000;

/** A reminder moment: `offsetHours` real hours before the start (a DST change in between does not shift it). */
export interface ReminderMoment {
  offsetHours: number;
  at: Date;
}

/**
 * The next reminder of an appointment starting at `startsAt`, or null when none is left.
 *
 * - A moment before `timeSetAt` (when the appointment was booked or last moved) never goes: a reminder of
 *   something arranged minutes ago is noise, and the booking or move email has just said the time.
 * - `handled` are the offsets already sent or skipped for this start time; a moment at or before the latest
 *   handled one is over too (a 48 h reminder is pointless once the 2 h one went).
 * - Of the moments already past (workers were down), only the latest is due, and only while the appointment is
 *   still ahead; the others are passed over, so a client gets one reminder on return, not a burst.
 */
export function nextReminder(input: {
  startsAt: Date;
  timeSetAt: Date;
  offsetsHours: readonly number[];
  handled: readonly number[];
  now: Date;
}): ReminderMoment | null {
  const start = input.startsAt.getTime();
  const now = input.now.getTime();
  if (start <= now) return null;
  const latestHandled = Math.max(-Infinity, ...input.handled.map((h) => start - h * HOUR_MS));
  const open = [...new Set(input.offsetsHours)]
    .map((offsetHours) => ({ offsetHours, at: start - offsetHours * HOUR_MS }))
    .filter(
      (m) =>
        m.at >= input.timeSetAt.getTime() && m.at > latestHandled && !input.handled.includes(m.offsetHours),
    )
    .sort((a, b) => a.at - b.at);
  const past = open.filter((m) => m.at <= now);
  const next = past.length ? past[past.length - 1] : open[0];
  return next ? { offsetHours: next.offsetHours, at: new Date(next.at) } : null;
}

/** Why reminder offsets are refused, with the index of the offending entry, or null when they are fine. */
export function reminderOffsetsProblem(
  offsets: readonly number[],
): { index: number; message: string } | null {
  if (offsets.length > MAX_REMINDER_OFFSETS)
    return {
      index: MAX_REMINDER_OFFSETS,
      message: `At most ${MAX_REMINDER_OFFSETS} reminders per appointment.`,
    };
  for (const [index, hours] of offsets.entries()) {
    if (!Number.isInteger(hours) || hours < MIN_REMINDER_OFFSET_HOURS || hours > MAX_REMINDER_OFFSET_HOURS)
      return {
        index,
        message: `A reminder goes ${MIN_REMINDER_OFFSET_HOURS} to ${MAX_REMINDER_OFFSET_HOURS} whole hours (14 days) before the appointment.`,
      };
    if (offsets.indexOf(hours) !== index)
      return { index, message: `${hours} hours is listed twice; each reminder needs its own time.` };
  }
  return null;
}
