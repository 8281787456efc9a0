import type { Transaction } from 'sequelize';
import type { AppointmentRequest, RequestStatus } from '../models/appointmentRequest';

import { isSlotOffered } from '../scheduling';
import { loadSlotQuery, lockClinicianSchedule } from './schedule';
import { pendingRefusal, startedRefusal } from './rules/requests';
import { hasStarted } from './rules/started';
import type { Store } from '../models/store';
import { recordStaffChange } from './audit';
import { signInClientByEmail } from './clients';
import { toClient } from './views';
import { takePendingText } from './pendingTexts';
import { markRequestNotificationsRead } from './notifications';
import { moveByRequest } from './rescheduleRequest';
import { closeLockedRequest } from './requestClosing';

/** What an approval did: booked, or refused with the request left as it was. */
export type ApprovalOutcome =
  | { ok: true; appointmentId: string; clientId: string }
  | {
      ok: false;
      code:
        | 'REQUEST_NOT_PENDING'
        | 'SLOT_UNAVAILABLE'
        | 'REQUEST_NOT_FOUND'
        | 'CLIENT_ARCHIVED'
        | 'APPOINTMENT_NOT_RESCHEDULABLE';
      message: string;
      status?: RequestStatus;
    };

/** What closing a request did. */
export type CloseOutcome =
  | { ok: true; status: RequestStatus }
  | { ok: false; code: 'REQUEST_NOT_PENDING' | 'REQUEST_NOT_FOUND'; status?: RequestStatus };

async function lockedRequest(db: Store, requestId: string, transaction: Transaction) {
  return db.AppointmentRequest.findByPk(requestId, { transaction, lock: transaction.LOCK.UPDATE });
}

/**
 * Approves a pending request in one transaction: the client (created for a new client, or the existing client
 * who signs in with that email, whose profile is left as it is, unless asNewClient), the scheduled appointment, and the slot's hold passed from
 * the request to the appointment. Re-checks the slot against scheduled appointments, so two overlapping
 * approvals can never both book.
 */
export async function approveRequest(
  db: Store,
  opts: {
    requestId: string;
    actorId: string | null;
    now: Date;
    /** Book a new client's request as a client of its own even when another client has the address. */
    asNewClient?: boolean;
  },
): Promise<ApprovalOutcome> {
  return db.sequelize.transaction(async (transaction) => {
    const peek = await db.AppointmentRequest.findByPk(opts.requestId, { transaction });
    if (!peek) return { ok: false, code: 'REQUEST_NOT_FOUND', message: 'No such request.' };
    await lockClinicianSchedule(db, peek.clinicianId, transaction);
    const request = (await lockedRequest(db, opts.requestId, transaction))!;
    // A retried attempt (the worker died after this committed, before Temporal heard) finds its own work done:
    // answering "not pending" would leave the workflow waiting for a decision already made, and no email sent.
    if (request.status === 'approved' && request.appointmentId && request.clientId)
      return { ok: true, appointmentId: request.appointmentId, clientId: request.clientId };
    const notPending = pendingRefusal(request);
    if (notPending) return { ok: false, ...notPending };
    // The expiry timer may not have run yet (no worker, a clock ahead of Temporal's): a slot already under way
    // is never booked, and the request ends as it would have a moment later, its hold released now.
    if (hasStarted(request, opts.now)) {
      await expire(db, request, opts.now, transaction);
      return { ok: false, ...startedRefusal('expired') };
    }
    const practice = await db.Practice.findByPk(request.practiceId, { transaction });
    const service = await db.Service.findByPk(request.serviceId, { transaction });
    // Judged as at submission (notice was met then), against what is booked now: time off, rule or buffer
    // changes since, and appointments approved meanwhile.
    const query = await loadSlotQuery(db, {
      clinicianId: request.clinicianId,
      durationMinutes: Math.round((request.endsAt.getTime() - request.startsAt.getTime()) / 60_000),
      from: request.startsAt,
      to: request.endsAt,
      now: request.createdAt,
      timeZone: practice!.timeZone,
      busy: 'appointments',
      excludeHoldId: request.holdId ?? undefined,
      transaction,
    });
    if (!service || !isSlotOffered(query, request.startsAt)) {
      return {
        ok: false,
        code: 'SLOT_UNAVAILABLE',
        message: 'This time now conflicts with the calendar or availability; the request stays pending.',
      };
    }
    // A client's reschedule request moves their appointment instead of booking one (booking/rescheduleRequest.ts).
    if (request.kind === 'reschedule') {
      const moved = await moveByRequest(db, request, opts.actorId, transaction);
      if (!moved.ok) return moved;
      await request.update({ decidedBy: opts.actorId, decidedAt: opts.now }, { transaction });
      await markRequestNotificationsRead(db, request.id, opts.now, transaction);
      return moved;
    }
    let clientId = request.clientId;
    if (!clientId) {
      const details = request.newClient!;
      // The client who signs in with the address the new client gave, if any (submission flagged it then).
      const existing = await signInClientByEmail(db, request.practiceId, details.email, transaction);
      if (existing && !opts.asNewClient && existing.archivedAt)
        return {
          ok: false,
          code: 'CLIENT_ARCHIVED',
          message:
            'The client with this email address is archived. Unarchive them first, or approve as a new client.',
        };
      if (existing && !opts.asNewClient) clientId = existing.id;
      else {
        const created = await db.Client.create(
          {
            practiceId: request.practiceId,
            firstName: details.firstName,
            lastName: details.lastName,
            email: details.email,
            phone: details.phone,
            timeZone: request.clientTimeZone,
            // A second client at an address someone already signs in with (a parent booking for a child) keeps it
            // for contact; the portal sign-in stays with the existing client, as the unique index demands.
            portalSignIn: existing === null,
          },
          { transaction },
        );
        clientId = created.id;
        if (opts.actorId)
          await recordStaffChange(
            db,
            transaction,
            { id: opts.actorId, practiceId: request.practiceId },
            {
              action: 'client.create',
              entity: 'client',
              entityId: created.id,
              oldValue: null,
              newValue: { ...toClient(created), fromRequestId: request.id },
            },
          );
      }
    }
    const holdId = request.holdId!;
    await request.update(
      { status: 'approved', holdId: null, clientId, decidedBy: opts.actorId, decidedAt: opts.now },
      { transaction },
    );
    await db.TimeHold.update({ kind: 'appointment' }, { where: { id: holdId }, transaction });
    const appointment = await db.Appointment.create(
      {
        practiceId: request.practiceId,
        clinicianId: request.clinicianId,
        serviceId: request.serviceId,
        clientId,
        requestId: request.id,
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        cancellationPolicy: practice!.cancellationPolicy,
        holdId,
      },
      { transaction },
    );
    await request.update({ appointmentId: appointment.id }, { transaction });
    await markRequestNotificationsRead(db, request.id, opts.now, transaction);
    return { ok: true, appointmentId: appointment.id, clientId };
  });
}

const expire = (db: Store, request: AppointmentRequest, now: Date, transaction: Transaction) =>
  closeLockedRequest(db, request, { status: 'expired', note: null, actorId: null, now }, transaction);

/** Ends a pending request as declined, withdrawn or expired and releases its slot at once. */
export async function closeRequest(
  db: Store,
  opts: {
    requestId: string;
    status: 'declined' | 'withdrawn' | 'expired';
    /** Only from executions started before notes were kept by id (booking/pendingTexts.ts). */
    note?: string | null;
    /** The kept note (booking/pendingTexts.ts), taken in this transaction. */
    noteId?: string | null;
    actorId?: string | null;
    now: Date;
  },
): Promise<CloseOutcome> {
  return db.sequelize.transaction(async (transaction) => {
    const request = await lockedRequest(db, opts.requestId, transaction);
    if (!request) return { ok: false, code: 'REQUEST_NOT_FOUND' };
    // As for approvals: a retried attempt finds the same outcome already recorded.
    if (request.status === opts.status) return { ok: true, status: opts.status };
    const notPending = pendingRefusal(request);
    if (notPending) return { ok: false, code: notPending.code, status: notPending.status };
    const note = opts.note ?? (await takePendingText(db, opts.noteId, transaction));
    await closeLockedRequest(db, request, { ...opts, note, actorId: opts.actorId ?? null }, transaction);
    return { ok: true, status: opts.status };
  });
}
