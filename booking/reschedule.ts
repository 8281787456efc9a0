import { ExclusionConstraintError, Op } from 'sequelize';
import type { Store } from '../models/store';
import { recordStaffChange, type StaffActor } from './audit';
import { BookingError } from './errors';
import { lockClinicianSchedule } from './schedule';
import { hasStarted } from './rules/started';

/**
 * What the updated-invite workflow needs: ids and the moment only. `sequence` is the invite_sequence the move
 * committed; the activity sends nothing when the appointment no longer has it (a rolled-back move, or a later
 * move or cancelation whose own email replaces this one).
 */
export interface RescheduleInviteInput {
  appointmentId: string;
  practiceId: string;
  sequence: number;
  /** The move's moment: the invite's DTSTAMP, so every retry sends the same bytes under one idempotency key. */
  rescheduledAt: string;
}

/** What the invite workflow answers: sent, nothing to send (moot or never committed), or refused by the provider. */
export type RescheduleInviteOutcome = 'sent' | 'skipped' | 'not-recorded' | 'rejected';

/** What a staff reschedule answers. `changed` is false when the appointment already started at that time. */
export interface RescheduleResult {
  appointmentId: string;
  startsAt: string;
  endsAt: string;
  inviteSequence: number;
  changed: boolean;
}

const slotTaken = () =>
  new BookingError(
    'SLOT_UNAVAILABLE',
    'That time overlaps another appointment, a pending request or time off. Pick another time.',
    '/startsAt',
  );

/**
 * Moves a scheduled appointment that has not started to `startsAt`, keeping its duration. Staff are not bound by
 * minimum notice, the start-time grid or availability windows (availability governs online requests), but never
 * land on another hold or on time off. The hold's range, the appointment's times, its invite sequence and the
 * audit entry change in one transaction, and the updated-invite workflow is started inside it: a 200 is only
 * sent for a move whose email is durably on its way, and a failed start rolls the move back.
 */
export async function rescheduleAppointment(
  db: Store,
  actor: StaffActor,
  input: { appointmentId: string; startsAt: Date; now: Date },
  startInvite: (w: RescheduleInviteInput) => Promise<void>,
): Promise<RescheduleResult> {
  try {
    return await db.sequelize.transaction(async (transaction) => {
      const peek = await db.Appointment.findOne({
        where: { id: input.appointmentId, practiceId: actor.practiceId },
        transaction,
      });
      if (!peek) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
      // The clinician's schedule first, then the row, in the order submissions and approvals take them.
      await lockClinicianSchedule(db, peek.clinicianId, transaction);
      // The row lock orders a move against a cancelation or attendance mark of the same appointment.
      const appointment = (await db.Appointment.findByPk(peek.id, {
        transaction,
        lock: transaction.LOCK.UPDATE,
      }))!;
      if (appointment.status !== 'scheduled')
        throw new BookingError(
          'APPOINTMENT_NOT_RESCHEDULABLE',
          `This appointment is ${appointment.status.replace('_', ' ')}; only a scheduled appointment can be moved.`,
          undefined,
          { status: appointment.status },
        );
      if (hasStarted(appointment, input.now))
        throw new BookingError(
          'APPOINTMENT_NOT_RESCHEDULABLE',
          'This appointment has already started; it can no longer be moved.',
          undefined,
          { status: appointment.status },
        );
      const durationMs = appointment.endsAt.getTime() - appointment.startsAt.getTime();
      const startsAt = input.startsAt;
      const endsAt = new Date(startsAt.getTime() + durationMs);
      const unchanged = (): RescheduleResult => ({
        appointmentId: appointment.id,
        startsAt: appointment.startsAt.toISOString(),
        endsAt: appointment.endsAt.toISOString(),
        inviteSequence: appointment.inviteSequence,
        changed: false,
      });
      if (startsAt.getTime() === appointment.startsAt.getTime()) return unchanged();
      const timeOff = await db.TimeOff.count({
        where: {
          clinicianId: appointment.clinicianId,
          startsAt: { [Op.lt]: endsAt },
          endsAt: { [Op.gt]: startsAt },
        },
        transaction,
      });
      if (timeOff > 0) throw slotTaken();
      // The exclusion constraint on time_holds decides against every other hold (appointments and pending
      // requests, of any practice member who books for this clinician); a conflict ends up in the catch below.
      await db.TimeHold.update(
        { during: db.TimeHold.range(startsAt, endsAt) },
        { where: { id: appointment.holdId! }, transaction },
      );
      const before = {
        startsAt: appointment.startsAt.toISOString(),
        endsAt: appointment.endsAt.toISOString(),
      };
      const sequence = appointment.inviteSequence + 1;
      await appointment.update({ startsAt, endsAt, inviteSequence: sequence }, { transaction });
      await recordStaffChange(db, transaction, actor, {
        action: 'appointment.reschedule',
        entity: 'appointment',
        entityId: appointment.id,
        oldValue: before,
        newValue: {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          inviteSequence: sequence,
        },
      });
      await startInvite({
        appointmentId: appointment.id,
        practiceId: appointment.practiceId,
        sequence,
        rescheduledAt: input.now.toISOString(),
      });
      return {
        appointmentId: appointment.id,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        inviteSequence: sequence,
        changed: true,
      };
    });
  } catch (err) {
    if (err instanceof ExclusionConstraintError) throw slotTaken();
    throw err;
  }
}
