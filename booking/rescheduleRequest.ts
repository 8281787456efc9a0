import { ExclusionConstraintError, UniqueConstraintError, type Transaction } from 'sequelize';
import type { AppointmentRequest } from '../models/appointmentRequest';
import type { Practice } from '../models/practice';
import type { Store } from '../models/store';
import { isSlotOffered } from '../scheduling';
import { cancelationOptions } from './cancelAppointment';
import { mayRequestReschedule, rescheduleByPhoneMessage } from './rules/reschedule';
import { recordStaffChange } from './audit';
import { BookingError } from './errors';
import { toRequestView } from './requestView';
import { loadSlotQuery, lockClinicianSchedule } from './schedule';
import { contactPhone } from './staffProfile';
import type { RequestWorkflowInput } from './submitRequest';

/** A reschedule request as the portal answers it: a request view naming the appointment it moves. */
export function toRescheduleRequestView(r: AppointmentRequest) {
  return { ...toRequestView(r), appointmentId: r.appointmentId! };
}

/** The refusal (and number) for a client whose appointment can only be moved by calling. */
function byPhoneOnly(phone: string | null, policy: { byPhoneOnly: boolean }) {
  return new BookingError('RESCHEDULE_BY_PHONE_ONLY', rescheduleByPhoneMessage(phone, policy), undefined, {
    phone,
  });
}

/**
 * A client's request to move their own appointment: the new time is held by a pending request of kind
 * `reschedule` (the old one stays the appointment's until the clinician decides), and the request workflow runs as
 * for a booking, started inside the transaction. Allowed only while canceling online now would be a free
 * cancelation: past the cutoff, or under the phone-only policy, the client is given the number to call.
 */
export async function submitRescheduleRequest(
  db: Store,
  input: { practice: Practice; clientId: string; appointmentId: string; startsAt: Date; now: Date },
  startWorkflow: (w: RequestWorkflowInput) => Promise<void>,
) {
  const { practice } = input;
  try {
    return await db.sequelize.transaction(async (transaction) => {
      const peek = await db.Appointment.findOne({
        where: { id: input.appointmentId, practiceId: practice.id, clientId: input.clientId },
        transaction,
      });
      if (!peek) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
      await lockClinicianSchedule(db, peek.clinicianId, transaction);
      const appointment = (await db.Appointment.findByPk(peek.id, {
        transaction,
        lock: transaction.LOCK.UPDATE,
      }))!;
      if (appointment.status !== 'scheduled')
        throw new BookingError(
          'APPOINTMENT_NOT_RESCHEDULABLE',
          `This appointment is ${appointment.status.replace('_', ' ')}; it can no longer be moved.`,
          undefined,
          { status: appointment.status },
        );
      const options = cancelationOptions(appointment, input.now);
      if (!mayRequestReschedule(options)) {
        const clinician = await db.StaffUser.findByPk(appointment.clinicianId, { transaction });
        throw byPhoneOnly(contactPhone(clinician, practice), options);
      }
      const durationMinutes = Math.round(
        (appointment.endsAt.getTime() - appointment.startsAt.getTime()) / 60_000,
      );
      const endsAt = new Date(input.startsAt.getTime() + durationMinutes * 60_000);
      // As any online request: availability, notice, grid, buffers, and every hold (the appointment's own too).
      const query = await loadSlotQuery(db, {
        clinicianId: appointment.clinicianId,
        durationMinutes,
        from: input.startsAt,
        to: endsAt,
        now: input.now,
        timeZone: practice.timeZone,
        transaction,
      });
      if (!isSlotOffered(query, input.startsAt))
        throw new BookingError(
          'SLOT_UNAVAILABLE',
          'That time is not available. Please pick another.',
          '/startsAt',
        );
      const hold = await db.TimeHold.create(
        {
          clinicianId: appointment.clinicianId,
          during: db.TimeHold.range(input.startsAt, endsAt),
          kind: 'request',
        },
        { transaction },
      );
      const request = await db.AppointmentRequest.create(
        {
          practiceId: practice.id,
          clinicianId: appointment.clinicianId,
          serviceId: appointment.serviceId,
          clientId: appointment.clientId,
          newClient: null,
          possibleDuplicateClientId: null,
          message: null,
          clientTimeZone: null,
          startsAt: input.startsAt,
          endsAt,
          holdId: hold.id,
          idempotencyKey: null,
          kind: 'reschedule',
          appointmentId: appointment.id,
          createdAt: input.now,
        },
        { transaction },
      );
      await startWorkflow({
        requestId: request.id,
        practiceId: practice.id,
        clinicianId: appointment.clinicianId,
        startsAt: input.startsAt.toISOString(),
        requestedAt: request.createdAt.toISOString(),
        lifetimeHours: practice.requestLifetimeHours,
      });
      return toRescheduleRequestView(request);
    });
  } catch (err) {
    if (err instanceof ExclusionConstraintError)
      throw new BookingError(
        'SLOT_UNAVAILABLE',
        'That time is not available. Please pick another.',
        '/startsAt',
      );
    if (err instanceof UniqueConstraintError)
      throw new BookingError(
        'RESCHEDULE_ALREADY_REQUESTED',
        'You already asked to move this appointment; wait for the answer or withdraw that request first.',
      );
    throw err;
  }
}

/** Why an appointment can no longer be moved by approving a request, in words the clinician can act on. */
function notMovable(status: string): string {
  const what =
    status === 'show' || status === 'no_show'
      ? `was marked ${status === 'show' ? 'Show' : 'No Show'}`
      : `is ${status.replace('_', ' ')}`;
  return `The appointment this request would move ${what}, so nothing was moved. Decline the request to close it.`;
}

/**
 * Approval of a reschedule request, in the approval's transaction (booking/decisions.ts): the appointment takes the
 * request's time and hold, its old hold is released, and its invite sequence goes up for the confirmation's .ics.
 * The move is in the audit log with the old time (the approval email names both). Refused (the request stays
 * pending, nothing moved) when the appointment is no longer scheduled.
 */
export async function moveByRequest(
  db: Store,
  request: AppointmentRequest,
  actorId: string | null,
  transaction: Transaction,
): Promise<
  | { ok: true; appointmentId: string; clientId: string }
  | { ok: false; code: 'APPOINTMENT_NOT_RESCHEDULABLE'; message: string }
> {
  const appointment = await db.Appointment.findByPk(request.appointmentId!, {
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!appointment || appointment.status !== 'scheduled')
    return {
      ok: false,
      code: 'APPOINTMENT_NOT_RESCHEDULABLE',
      message: notMovable(appointment?.status ?? 'deleted'),
    };
  const oldHoldId = appointment.holdId!;
  const newHoldId = request.holdId!;
  const before = { startsAt: appointment.startsAt.toISOString(), endsAt: appointment.endsAt.toISOString() };
  await request.update({ status: 'approved', holdId: null }, { transaction });
  await db.TimeHold.update({ kind: 'appointment' }, { where: { id: newHoldId }, transaction });
  await appointment.update(
    {
      startsAt: request.startsAt,
      endsAt: request.endsAt,
      holdId: newHoldId,
      inviteSequence: appointment.inviteSequence + 1,
    },
    { transaction },
  );
  await db.TimeHold.destroy({ where: { id: oldHoldId }, transaction });
  const change = {
    action: 'appointment.reschedule',
    entity: 'appointment',
    entityId: appointment.id,
    oldValue: before,
    newValue: {
      startsAt: request.startsAt.toISOString(),
      endsAt: request.endsAt.toISOString(),
      inviteSequence: appointment.inviteSequence,
      requestId: request.id,
    },
  };
  if (actorId)
    await recordStaffChange(db, transaction, { id: actorId, practiceId: appointment.practiceId }, change);
  else
    await db.AuditEntry.record(
      { practiceId: appointment.practiceId, actorType: 'system', actorId: null, ...change },
      transaction,
    );
  return { ok: true, appointmentId: appointment.id, clientId: appointment.clientId };
}

/**
 * For a request to move an appointment, the time it moves from and the appointment's status now: before approval
 * the appointment's time (which it keeps until then), after it the time the move's audit entry recorded. Null for
 * a booking request. The emails and the dashboard's list name both times from this.
 */
export async function rescheduleFrom(
  db: Store,
  request: AppointmentRequest,
): Promise<{ startsAt: Date; endsAt: Date; appointmentStatus: string } | null> {
  if (request.kind !== 'reschedule' || !request.appointmentId) return null;
  const appointment = await db.Appointment.findByPk(request.appointmentId);
  if (!appointment) return null;
  const before = request.status === 'approved' ? await timeBeforeMove(db, request) : null;
  return {
    ...(before ?? { startsAt: appointment.startsAt, endsAt: appointment.endsAt }),
    appointmentStatus: appointment.status,
  };
}

/** The appointment's time before an approved reschedule request moved it, from the move's audit entry. */
export async function timeBeforeMove(
  db: Store,
  request: AppointmentRequest,
): Promise<{ startsAt: Date; endsAt: Date } | null> {
  const moves = await db.AuditEntry.findAll({
    where: { entity: 'appointment', entityId: request.appointmentId!, action: 'appointment.reschedule' },
  });
  const move = moves.find((m) => (m.newValue as { requestId?: string } | null)?.requestId === request.id);
  const old = move?.oldValue as { startsAt: string; endsAt: string } | undefined;
  return old ? { startsAt: new Date(old.startsAt), endsAt: new Date(old.endsAt) } : null;
}
