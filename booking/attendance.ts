import type { AttendanceStatus } from '../models/appointment';
import type { Store } from '../models/store';
import { recordStaffChange, type StaffActor } from './audit';
import { BookingError } from './errors';
import { hasStarted } from './rules/started';

/** What marking attendance answers: the appointment's status now, and whether this call changed it. */
export interface AttendanceResult {
  appointmentId: string;
  status: AttendanceStatus;
  changed: boolean;
}

/**
 * Marks whether the client came (Show) or not (No Show). Only once the appointment has started, from scheduled,
 * or to correct an earlier mark (show to no_show and back: staff mark the wrong button too); a canceled
 * appointment has no attendance. The appointment keeps its hold: the time was the clinician's either way
 * (models/migrations/0012-attendance.ts). Marking the status it already has changes and audits nothing.
 */
export function markAttendance(
  db: Store,
  actor: StaffActor,
  input: { appointmentId: string; status: AttendanceStatus; now: Date },
): Promise<AttendanceResult> {
  return db.sequelize.transaction(async (transaction) => {
    // The row lock orders a mark against a cancelation of the same appointment.
    const appointment = await db.Appointment.findOne({
      where: { id: input.appointmentId, practiceId: actor.practiceId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
    const before = appointment.status;
    if (before !== 'scheduled' && before !== 'show' && before !== 'no_show')
      throw new BookingError(
        'APPOINTMENT_CANCELED',
        'This appointment was canceled, so there is no attendance to mark.',
        undefined,
        { status: before },
      );
    if (!hasStarted(appointment, input.now))
      throw new BookingError(
        'APPOINTMENT_NOT_STARTED',
        'Attendance can be marked once the appointment has started.',
        undefined,
        { startsAt: appointment.startsAt.toISOString() },
      );
    if (before === input.status)
      return { appointmentId: appointment.id, status: input.status, changed: false };
    await appointment.update({ status: input.status }, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'appointment.attendance',
      entity: 'appointment',
      entityId: appointment.id,
      oldValue: { status: before },
      newValue: { status: input.status },
    });
    return { appointmentId: appointment.id, status: input.status, changed: true };
  });
}
