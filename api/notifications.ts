import { listNotifications } from '../booking/notifications';
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
      summary:
        'Your notifications, newest first, with the unread count, each naming its client; a decided request says so',
      tag: 'Notifications',
      auth: 'staff',
      responses: { 200: { description: 'Notifications', schema: notificationsSchema } },
      handler: async (_req, res) => {
        res.json(await listNotifications(db, res.locals.staff!.id));
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
