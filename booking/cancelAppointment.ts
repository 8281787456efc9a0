import {
  isCanceled,
  type Appointment,
  type AppointmentStatus,
  type CanceledStatus,
} from '../models/appointment';

import type { CancellationPolicy } from '../models/practice';

import { cancellationCutoff, classifyCancellation } from './cancellationPolicy';
import { BookingError } from './errors';
import { phoneOnlyMessage } from './rules/cancelation';
import { contactPhone } from './staffProfile';
import { hasStarted } from './rules/started';
import type { Store } from '../models/store';
import { takePendingText } from './pendingTexts';
import { closeRescheduleRequestOf } from './requestClosing';
import { lockClinicianSchedule } from './schedule';

/** The ways an appointment ends canceled. */
export type { CanceledStatus };
/** Who asked: the client from the portal, or the practice from the dashboard. */
export type CanceledBy = 'client' | 'staff';

/** The fields of an appointment the cancelation rule reads. */
export interface CancelableAppointment {
  status: AppointmentStatus;
  startsAt: Date;
  cancellationPolicy: CancellationPolicy;
}

export interface CancelAppointmentInput {
  appointmentId: string;
  /** The moment the cancelation was asked for: the policy judges this, never when it was processed. */
  requestedAt: Date;
  by: CanceledBy;
  /** The practice's choice; staff only (a client's cancelation is classified by the booked policy). */
  status?: CanceledStatus;
  /** The reason itself: from executions started before reasons were kept by id, or a direct caller. */
  reason?: string | null;
  /** The kept reason (booking/pendingTexts.ts), taken in the cancel's transaction. */
  reasonId?: string | null;
  /** The client or staff user who asked, for the audit log. */
  actorId?: string | null;
  now: Date;
}

/** A canceled appointment as plain data; `changed` is false when an earlier cancelation had already done it. */
export interface CancelResult {
  appointmentId: string;
  status: CanceledStatus;
  canceledBy: CanceledBy;
  requestedAt: string;
  canceledAt: string;
  changed: boolean;
  /** The pending request to move it that this cancelation closed (booking/requestClosing.ts), for its workflow. */
  closedRequestId?: string;
}

/** What canceling would mean at `now`, as the portal lists it. */
export interface CancelationOptions {
  canCancelOnline: boolean;
  /** The cutoff: asked at or before it is Canceled, after it Late Canceled; null when not cancelable online. */
  freeCancelationUntil: Date | null;
  /** The status a cancelation asked for at `now` would get. */
  cancelNowAs: CanceledStatus | null;
  /** The booked policy is "Require phone call to cancel". */
  byPhoneOnly: boolean;
}

/**
 * Why a scheduled appointment cannot be canceled by `by` at `requestedAt`, or null when it can. The one rule
 * the API checks before starting a workflow and the cancelation itself enforces under the row lock.
 */
export function cancelRefusal(
  appointment: CancelableAppointment,
  opts: { by: CanceledBy; requestedAt: Date; practicePhone?: string | null },
): BookingError | null {
  if (appointment.status === 'show' || appointment.status === 'no_show') {
    const marked = appointment.status === 'show' ? 'Show' : 'No Show';
    return new BookingError(
      'APPOINTMENT_NOT_CANCELABLE',
      `This appointment was marked ${marked}; it can no longer be canceled.`,
    );
  }
  if (appointment.status !== 'scheduled') {
    return new BookingError(
      'APPOINTMENT_NOT_CANCELABLE',
      `This appointment is already ${appointment.status}.`,
    );
  }
  if (hasStarted(appointment, opts.requestedAt)) {
    return new BookingError('APPOINTMENT_NOT_CANCELABLE', 'This appointment has already started.');
  }
  if (opts.by === 'client' && appointment.cancellationPolicy === 'phone_call') {
    const phone = opts.practicePhone ?? null;
    return new BookingError('CANCEL_BY_PHONE_ONLY', phoneOnlyMessage(phone), undefined, { phone });
  }
  return null;
}

/** What canceling would mean at `now`, judged by the policy booked with the appointment. */
export function cancelationOptions(appointment: CancelableAppointment, now: Date): CancelationOptions {
  const policy = appointment.cancellationPolicy;
  const open = appointment.status === 'scheduled' && !hasStarted(appointment, now);
  if (!open || policy === 'phone_call') {
    return { canCancelOnline: false, freeCancelationUntil: null, cancelNowAs: null, byPhoneOnly: open };
  }
  return {
    canCancelOnline: true,
    freeCancelationUntil: cancellationCutoff(appointment.startsAt, policy),
    cancelNowAs: classifyCancellation(appointment.startsAt, policy, now),
    byPhoneOnly: false,
  };
}

/** A canceled appointment as the cancelation answers it: by the API for a repeat, by the step otherwise. */
export function canceledResult(appointment: Appointment, changed: boolean): CancelResult {
  return {
    appointmentId: appointment.id,
    status: appointment.status as CanceledStatus,
    canceledBy: appointment.canceledBy!,
    requestedAt: appointment.cancelRequestedAt!.toISOString(),
    canceledAt: appointment.canceledAt!.toISOString(),
    changed,
  };
}

/**
 * Cancels an appointment in one transaction and frees its time at once. A client's cancelation is Canceled or
 * Late Canceled by the policy booked with the appointment (never the practice's current one), judged at
 * requestedAt; the practice picks the status. An appointment already canceled answers with that first result.
 */
export async function cancelAppointment(db: Store, input: CancelAppointmentInput): Promise<CancelResult> {
  if (input.by === 'client' && input.status)
    throw new Error('cancelAppointment: only staff choose the status');
  return db.sequelize.transaction(async (transaction) => {
    const peek = await db.Appointment.findByPk(input.appointmentId, { transaction });
    if (!peek) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
    // The schedule first, as approvals and reschedules take it: a request to move this appointment is then either
    // approved before (and this cancels the moved appointment) or closed here, never both half-way.
    await lockClinicianSchedule(db, peek.clinicianId, transaction);
    // The row lock orders a client's and the practice's cancelations of the same appointment.
    const appointment = (await db.Appointment.findByPk(input.appointmentId, {
      transaction,
      lock: transaction.LOCK.UPDATE,
    }))!;
    // An attended appointment is not canceled: it falls through to the refusal below.
    if (isCanceled(appointment.status)) return canceledResult(appointment, false);
    // The client is told the number to call (their clinician's, else the practice's) however the refusal reaches
    // them (API precheck or this step).
    const phoneOnly = input.by === 'client' && appointment.cancellationPolicy === 'phone_call';
    const practicePhone = phoneOnly
      ? contactPhone(
          await db.StaffUser.findByPk(appointment.clinicianId, { transaction }),
          (await db.Practice.findByPk(appointment.practiceId, { transaction })) ?? { phone: null },
        )
      : null;
    const refusal = cancelRefusal(appointment, { ...input, practicePhone });
    if (refusal) throw refusal;
    const policy = appointment.cancellationPolicy;
    const status: CanceledStatus =
      input.status ??
      (policy === 'phone_call'
        ? 'canceled'
        : classifyCancellation(appointment.startsAt, policy, input.requestedAt));
    const holdId = appointment.holdId!;
    const reason = input.reason ?? (await takePendingText(db, input.reasonId, transaction));
    // hold_id is cleared in the same statement as the status: the table checks scheduled iff a hold is set.
    await appointment.update(
      {
        status,
        holdId: null,
        cancelRequestedAt: input.requestedAt,
        canceledAt: input.now,
        canceledBy: input.by,
        cancelReason: reason,
        // The CANCEL sent to the client must outrank their latest invite, or calendars ignore it.
        inviteSequence: appointment.inviteSequence + 1,
      },
      { transaction },
    );
    await db.TimeHold.destroy({ where: { id: holdId }, transaction });
    const closedRequestId = await closeRescheduleRequestOf(db, appointment.id, input.now, transaction);
    await db.AuditEntry.record(
      {
        practiceId: appointment.practiceId,
        actorType: input.by,
        actorId: input.actorId ?? null,
        action: 'appointment.cancel',
        entity: 'appointment',
        entityId: appointment.id,
        oldValue: { status: 'scheduled' },
        newValue: {
          status,
          cancelRequestedAt: input.requestedAt.toISOString(),
          reason,
          ...(closedRequestId ? { closedRescheduleRequestId: closedRequestId } : {}),
        },
      },
      transaction,
    );
    return { ...canceledResult(appointment, true), ...(closedRequestId ? { closedRequestId } : {}) };
  });
}
