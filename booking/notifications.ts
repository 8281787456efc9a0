import { Op, type Transaction } from 'sequelize';
import type { Store } from '../models/store';
import { toNotificationItem } from './views';

/** A user's bell: the newest hundred items, each naming its client as the staff views do, and the unread count. */
export async function listNotifications(db: Store, userId: string) {
  const rows = await db.Notification.findAll({
    where: { userId },
    order: [
      ['createdAt', 'DESC'],
      ['id', 'ASC'],
    ],
    limit: 100,
  });
  const ids = (key: 'requestId' | 'appointmentId') => [
    ...new Set(rows.map((n) => n[key]).filter((x): x is string => x !== null)),
  ];
  const [requests, appointments] = await Promise.all([
    db.AppointmentRequest.findAll({ where: { id: { [Op.in]: ids('requestId') } } }),
    db.Appointment.findAll({ where: { id: { [Op.in]: ids('appointmentId') } } }),
  ]);
  // Names go through the models, which decrypt them (issue 16): a join in SQL would read ciphertext.
  const clientIds = [...requests.map((r) => r.clientId), ...appointments.map((a) => a.clientId)];
  const clients = await db.Client.findAll({
    where: { id: { [Op.in]: [...new Set(clientIds.filter((x): x is string => x !== null))] } },
  });
  const unreadCount = await db.Notification.count({ where: { userId, readAt: null } });
  return {
    unreadCount,
    items: rows.map((n) => {
      const request = requests.find((r) => r.id === n.requestId);
      const appointment = appointments.find((a) => a.id === n.appointmentId);
      const clientId = request?.clientId ?? appointment?.clientId ?? null;
      const client = clients.find((c) => c.id === clientId) ?? request?.newClient ?? null;
      return toNotificationItem(n, { request, appointment, client });
    }),
  };
}

/**
 * Marks a request's bell items read once it is decided, in the decision's transaction: an item asking for a
 * decision already made would send staff to act on it again. Items rung afterwards (a withdrawal) stay unread.
 */
export async function markRequestNotificationsRead(
  db: Store,
  requestId: string,
  now: Date,
  transaction: Transaction,
): Promise<void> {
  await db.Notification.update({ readAt: now }, { where: { requestId, readAt: null }, transaction });
}
