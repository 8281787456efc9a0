import type { Request, Response } from 'express';
import { literal } from 'sequelize';
import { badRequest } from './errors';
import type { Store } from '../models/store';

/** Query fields of a paged list: an opaque cursor from the previous page's Link header, and the page size. */
export const pageQueryProperties = {
  cursor: { type: 'string', minLength: 1, maxLength: 200 },
  limit: { type: 'integer', minimum: 1, maximum: 500 },
} as const;

export const DEFAULT_PAGE_SIZE = 100;

/** One ordering of a list: the SQL sort key (ties broken by id) and its direction. */
export interface Ordering {
  /** Names the ordering inside the cursor, so a cursor from another list or tab is refused, not misread. */
  name: string;
  /** A SQL expression over the table's own row, e.g. `"AppointmentRequest"."created_at"`. */
  key: (table: string) => string;
  direction: 'ASC' | 'DESC';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor is the last row's id: the next page starts after that row's (key, id), read from the table. */
export function encodeCursor(ordering: Ordering, lastId: string): string {
  return Buffer.from(JSON.stringify([ordering.name, lastId])).toString('base64url');
}

function decodeCursor(ordering: Ordering, cursor: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== ordering.name ||
    typeof parsed[1] !== 'string' ||
    !UUID.test(parsed[1])
  )
    throw badRequest('cursor', 'This cursor is not from this list. Start again without a cursor.');
  return parsed[1];
}

/**
 * The keyset condition and ORDER BY for one page. The position is the cursor row's own (key, id), looked up in
 * SQL rather than carried in the cursor: no timestamp loses precision on the way, and rows inserted or changed
 * between pages never make a row appear twice (they fall before the position or drop out of the filter).
 */
export function pageOf(db: Store, table: string, modelName: string, ordering: Ordering, cursor?: string) {
  const key = ordering.key(`"${modelName}"`);
  const cmp = ordering.direction === 'ASC' ? '>' : '<';
  const after = cursor
    ? literal(
        `(${key}, "${modelName}"."id") ${cmp} (SELECT ${ordering.key('c')}, c.id FROM ${table} c WHERE c.id = ${db.sequelize.escape(decodeCursor(ordering, cursor))})`,
      )
    : null;
  return {
    after,
    order: [
      [literal(key), ordering.direction],
      ['id', ordering.direction],
    ] as [ReturnType<typeof literal> | string, string][],
  };
}

/** Points to the next page with `Link: <…>; rel="next"` (RFC 8288); the body stays the JSON array it was. */
export function linkNext(req: Request, res: Response, nextCursor: string | null, limit: number): void {
  if (!nextCursor) return;
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.set('cursor', nextCursor);
  params.set('limit', String(limit));
  res.setHeader('Link', `<${req.path}?${params}>; rel="next"`);
}
