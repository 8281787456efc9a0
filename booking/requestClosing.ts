import type { Transaction } from 'sequelize';
import type { AppointmentRequest } from '../models/appointmentRequest';
import type { Store } from '../models/store';
import { markRequestNotificationsRead } from './notifications';

/** Ends a locked pending request with `status` and frees its slot, in the caller's transaction. */
export async function closeLockedRequest(
  db: Store,
  request: AppointmentRequest,
  opts: {
    status: 'declined' | 'withdrawn' | 'expired';
    note: string | null;
    actorId: string | null;
    now: Date;
  },
  transaction: Transaction,
): Promise<void> {
  const holdId = request.holdId!;
  await request.update(
    {
      status: opts.status,
      holdId: null,
      declineNote: opts.note,
      decidedBy: opts.actorId,
      decidedAt: opts.now,
    },
    { transaction },
  );
  await db.TimeHold.destroy({ where: { id: holdId }, transaction });
  await markRequestNotificationsRead(db, request.id, opts.now, transaction);
}

/**
 * Closes the pending request to move an appointment that is being canceled, in the cancelation's transaction, and
 * frees the time it held; answers its id (its workflow is then told), or null when there was none. `withdrawn`,
 * not `declined`: nobody judged the new time, the reason for asking went away with the appointment, and the client
 * is not sent a "your request was declined" email about an appointment they (or the practice) just canceled.
 */
export async function closeRescheduleRequestOf(
  db: Store,
  appointmentId: string,
  now: Date,
  transaction: Transaction,
): Promise<string | null> {
  const request = await db.AppointmentRequest.findOne({
    where: { appointmentId, kind: 'reschedule', status: 'pending' },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!request) return null;
  await closeLockedRequest(db, request, { status: 'withdrawn', note: null, actorId: null, now }, transaction);
  return request.id;
}
