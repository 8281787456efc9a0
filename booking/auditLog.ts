import { QueryTypes } from 'sequelize';
import type { Store } from '../models/store';

/** One audit entry with the name of whoever made the change, as the audit log page lists it. */
export interface AuditLogRow {
  id: string;
  created_at: Date;
  actor_type: 'staff' | 'client' | 'system';
  actor_id: string | null;
  actor_first_name: string | null;
  actor_last_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  /** The person the entry is about, when it is about a person (a staff user's profile, a client). */
  entity_name: string | null;
  old_value: unknown;
  new_value: unknown;
}

/**
 * A practice's audit log, newest first, a page at a time: optionally one person's changes and a time range
 * [from, to). `afterId` is the last entry of the previous page; the next page starts after its (time, id).
 */
export async function listAuditLog(
  db: Store,
  input: { practiceId: string; actorId?: string; from?: Date; to?: Date; afterId?: string; limit: number },
): Promise<AuditLogRow[]> {
  const filters = ['a.practice_id = :practiceId'];
  if (input.actorId) filters.push('a.actor_id = :actorId');
  if (input.from) filters.push('a.created_at >= :from');
  if (input.to) filters.push('a.created_at < :to');
  if (input.afterId)
    filters.push('(a.created_at, a.id) < (SELECT c.created_at, c.id FROM audit_log c WHERE c.id = :afterId)');
  return db.sequelize.query<AuditLogRow>(
    `SELECT a.id::text AS id, a.created_at, a.actor_type, a.actor_id, a.action, a.entity, a.entity_id,
            a.old_value, a.new_value,
            coalesce(s.first_name, c.first_name) AS actor_first_name,
            coalesce(s.last_name, c.last_name) AS actor_last_name,
            coalesce(es.first_name || ' ' || es.last_name, ec.first_name || ' ' || ec.last_name) AS entity_name
       FROM audit_log a
       LEFT JOIN staff_users s ON a.actor_type = 'staff' AND s.id = a.actor_id
       LEFT JOIN clients c ON a.actor_type = 'client' AND c.id = a.actor_id
       LEFT JOIN staff_users es ON a.entity IN ('staff_user', 'clinician') AND es.id::text = a.entity_id
       LEFT JOIN clients ec ON a.entity = 'client' AND ec.id::text = a.entity_id
      WHERE ${filters.join(' AND ')}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT :limit`,
    {
      replacements: {
        practiceId: input.practiceId,
        actorId: input.actorId ?? null,
        from: input.from ?? null,
        to: input.to ?? null,
        afterId: input.afterId ?? null,
        limit: input.limit,
      },
      type: QueryTypes.SELECT,
    },
  );
}
