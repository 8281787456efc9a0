import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Store } from '../models/store';

const KEPT_DAYS = 30;

/**
 * Keeps a person's text for a workflow step and answers its id, which is all the workflow carries (its history is
 * readable by whoever runs Temporal). Null or blank text keeps nothing. Leftovers of steps that never ran (a
 * repeated cancel joining the first, Temporal unreachable) are pruned here.
 */
export async function keepPendingText(
  db: Store,
  practiceId: string,
  text: string | null | undefined,
  now: Date,
): Promise<string | null> {
  if (!text) return null;
  const id = randomUUID();
  await db.sequelize.query(
    `DELETE FROM pending_texts WHERE created_at < :cutoff;
     INSERT INTO pending_texts (id, practice_id, text, created_at) VALUES (:id, :practiceId, :text, :now)`,
    {
      replacements: { id, practiceId, text, now, cutoff: new Date(now.getTime() - KEPT_DAYS * 86_400_000) },
    },
  );
  return id;
}

/**
 * Takes a kept text in the step's transaction: read and deleted together, so it ends up in exactly one place.
 * Null when there is none (the step ran before, or nothing was written).
 */
export async function takePendingText(
  db: Store,
  id: string | null | undefined,
  transaction: Transaction,
): Promise<string | null> {
  if (!id) return null;
  const rows = await db.sequelize.query<{ text: string }>(
    'DELETE FROM pending_texts WHERE id = :id RETURNING text',
    { replacements: { id }, type: QueryTypes.SELECT, transaction },
  );
  return rows[0]?.text ?? null;
}

/**
 * Drops a kept text whose step will not run (the workflow could not be started, or refused the decision), so a
 * refusal leaves nothing behind. A step that did run has taken it already; dropping it again is harmless.
 */
export async function dropPendingText(db: Store, id: string | null | undefined): Promise<void> {
  if (!id) return;
  await db.sequelize.query('DELETE FROM pending_texts WHERE id = :id', { replacements: { id } });
}
