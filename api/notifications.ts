import { QueryTypes } from 'sequelize';
import type { Clock } from '../lib/clock';
import { notFound } from './errors';
import type { RouteDef } from './route';
import { notificationsSchema } from './responseSchemas';
import { idParams } from './schemas';
import type { Store } from '../models/store';

/** The notification bell: newest first with the unread count; mark one or all read. */
export function notificationRoutes(deps: { db: Store; clock: Clock }): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'get',
      path: '/api/notifications',
      summary: 'Your notifications, newest first, with the unread count; a decided request says so',
      tag: 'Notifications',
      auth: 'staff',
      responses: { 200: { description: 'Notifications', schema: notificationsSchema } },
      handler: async (_req, res) => {
        const userId = res.locals.staff!.id;
        const items = await deps.db.sequelize.query<{
          id: string;
          kind: string;
          request_id: string | null;
          appointment_id: string | null;
          read_at: Date | null;
          created_at: Date;
          request_status: string | null;
          starts_at: Date | null;
        }>(
          `SELECT n.id, n.kind, n.request_id, n.appointment_id, n.read_at, n.created_at,
                  r.status AS request_status, coalesce(r.starts_at, a.starts_at) AS starts_at
             FROM notifications n
             LEFT JOIN appointment_requests r ON r.id = n.request_id
             LEFT JOIN appointments a ON a.id = n.appointment_id
            WHERE n.user_id = :userId
            ORDER BY n.created_at DESC, n.id
            LIMIT 100`,
          { replacements: { userId }, type: QueryTypes.SELECT },
        );
        const unreadCount = await db.Notification.count({ where: { userId, readAt: null } });
        res.json({
          unreadCount,
          items: items.map((n) => ({
            id: n.id,
            kind: n.kind,
            requestId: n.request_id,
            appointmentId: n.appointment_id,
            startsAt: n.starts_at ? new Date(n.starts_at).toISOString() : null,
            requestStatus: n.request_status,
            decided: n.request_status !== null && n.request_status !== 'pending',
            read: n.read_at !== null,
            createdAt: new Date(n.created_at).toISOString(),
          })),
        });
      },
    },
    {
      method: 'post',
      path: '/api/notifications/:id/read',
      summary: 'Mark one notification read',
      tag: 'Notifications',
      auth: 'staff',
      params: idParams,
      responses: { 204: 'Marked', 404: 'Not yours' },
      handler: async (req, res) => {
        const [count] = await db.Notification.update(
          { readAt: deps.clock.now() },
          { where: { id: req.params.id as string, userId: res.locals.staff!.id } },
        );
        if (count === 0) throw notFound('No such notification.');
        res.status(204).end();
      },
    },
    {
      method: 'post',
      path: '/api/notifications/read-all',
      summary: 'Mark all your notifications read',
      tag: 'Notifications',
      auth: 'staff',
      responses: { 204: 'Marked' },
      handler: async (_req, res) => {
        await db.Notification.update(
          { readAt: deps.clock.now() },
          { where: { userId: res.locals.staff!.id, readAt: null } },
        );
        res.status(204).end();
      },
    },
  ];
}
