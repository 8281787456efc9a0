import type { Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';
import type { Clock } from '../../app/clock';

/** How many failures a key may have in the window before further attempts are refused. */
export interface FailureLimit {
  max: number;
  windowMinutes: number;
}

/** Seconds until the oldest counted failure leaves the window, when key is over its limit; else null. */
export async function lockedFor(
  db: Sequelize,
  clock: Clock,
  key: string,
  limit: FailureLimit,
): Promise<number | null> {
  const since = new Date(clock.now().getTime() - limit.windowMinutes * 60_000);
  const [row] = await db.query<{ n: string; oldest: Date | null }>(
    'SELECT count(*) AS n, min(at) AS oldest FROM auth_failures WHERE key = :key AND at > :since',
    { replacements: { key, since }, type: QueryTypes.SELECT },
  );
  if (Number(row.n) < limit.max || !row.oldest) return null;
  const unlockAt = new Date(row.oldest).getTime() + limit.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((unlockAt - clock.now().getTime()) / 1000));
}

/** Records one failure for each key, pruning rows older than a day. */
export async function recordFailure(db: Sequelize, clock: Clock, keys: string[]): Promise<void> {
  const now = clock.now();
  await db.transaction(async (transaction) => {
    for (const key of keys) {
      await db.query('INSERT INTO auth_failures (key, at) VALUES (:key, :now)', {
        replacements: { key, now },
        transaction,
      });
    }
    await db.query('DELETE FROM auth_failures WHERE at < :cutoff', {
      replacements: { cutoff: new Date(now.getTime() - 86_400_000) },
      transaction,
    });
  });
}

/** Forgets a key's failures (after a successful sign-in). */
export async function clearFailures(db: Sequelize, key: string): Promise<void> {
  await db.query('DELETE FROM auth_failures WHERE key = :key', { replacements: { key } });
}
