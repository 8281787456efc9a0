import type { Request } from 'express';
import { listAuditLog } from '../booking/auditLog';
import { toAuditLogEntry } from '../booking/views';
import { badRequest, forbidden } from './errors';
import type { RouteDef } from './route';
import { auditLogEntrySchema } from './responseSchemas';
import { isoInstant, uuid } from './schemas';
import { DEFAULT_PAGE_SIZE, linkNext, pageQueryProperties } from './paging';
import { managesPractice } from './auth/principal';
import type { Schema } from './validation';
import type { Store } from '../models/store';

const query: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { actorId: uuid, from: isoInstant, to: isoInstant, ...pageQueryProperties },
};

// The audit log's ids are numbers, not the uuids api/paging.ts reads: its own cursor, named so no other list's fits.
const encodeCursor = (id: string) => Buffer.from(JSON.stringify(['audit-log', id])).toString('base64url');

function decodeCursor(cursor: string): string {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Refused below like any other cursor that is not ours.
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== 'audit-log' ||
    typeof parsed[1] !== 'string' ||
    !/^\d{1,19}$/.test(parsed[1])
  )
    throw badRequest('cursor', 'This cursor is not from the audit log. Start again without a cursor.');
  return parsed[1];
}

/** The practice's audit log, for the people who run it. */
export function auditLogRoutes(deps: { db: Store }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/audit-log',
      summary:
        "The practice's audit log, newest first, a page at a time: who, when, what, before and after; " +
        'filter by person (actorId) and time range [from, to)',
      tag: 'Audit log',
      auth: 'staff',
      query,
      responses: {
        200: {
          description: 'Entries; `Link: <…>; rel="next"` while more follow',
          schema: { type: 'array', items: auditLogEntrySchema },
        },
        400: 'A bad filter (from after to), a cursor from another list, or a limit outside 1–500',
        403: 'Only admin clinicians and practice managers read the audit log',
      },
      handler: async (req: Request, res) => {
        const staff = res.locals.staff!;
        if (!managesPractice(staff))
          throw forbidden('Only admin clinicians and practice managers can read the audit log.');
        const q = res.locals.query as {
          actorId?: string;
          from?: string;
          to?: string;
          cursor?: string;
          limit?: number;
        };
        const from = q.from ? new Date(q.from) : undefined;
        const to = q.to ? new Date(q.to) : undefined;
        if (from && to && from.getTime() >= to.getTime())
          throw badRequest('to', 'The end of the range must come after its start.');
        const limit = q.limit ?? DEFAULT_PAGE_SIZE;
        const rows = await listAuditLog(deps.db, {
          practiceId: staff.practiceId,
          actorId: q.actorId,
          from,
          to,
          afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
          limit: limit + 1,
        });
        const items = rows.slice(0, limit);
        linkNext(req, res, rows.length > limit ? encodeCursor(items[items.length - 1].id) : null, limit);
        res.json(items.map(toAuditLogEntry));
      },
    },
  ];
}
