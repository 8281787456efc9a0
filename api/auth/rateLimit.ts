import { QueryTypes } from 'sequelize';
import type { Clock } from '../../lib/clock';
import type { Store } from '../../models/store';

/** How many failures a key may have in the window before further attempts are refused. */
export interface FailureLimit {
  max: number;
  windowMinutes: number;
}

/** Forgets a key's failures (after a successful sign-in). */
export async function clearFailures(db: Store, key: string): Promise<void> {
  await db.sequelize.query('DELETE FROM auth_failures WHERE key = :key', { replacements: { key } });
}

/**
 * Progressive delay: the first `free` failures in the window cost nothing; after that each failure makes the next
 * attempt wait `baseSeconds`, doubling per failure up to `maxSeconds`, counted from the latest failure.
 */
export interface Backoff {
  free: number;
  baseSeconds: number;
  maxSeconds: number;
  windowMinutes: number;
}

/** Seconds the next attempt must wait after `failures` failures under `backoff` (0: none). */
export function backoffSeconds(backoff: Backoff, failures: number): number {
  if (failures < backoff.free) return 0;
  return Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** Math.min(failures - backoff.free, 30));
}

/** One counter an attempt is recorded under, and what refuses the attempt (null: counted, never refusing). */
export interface AttemptKey {
  key: string;
  limit: FailureLimit | Backoff | null;
}

/** An attempt that may go ahead; it counts as a failure unless `succeeded` is called. */
export interface Attempt {
  succeeded(): Promise<void>;
}

const isBackoff = (limit: FailureLimit | Backoff): limit is Backoff => 'free' in limit;

/**
 * Checks every key's limit and, when none refuses, records the attempt as a failure under every key, atomically:
 * concurrent attempts on a key queue on its advisory lock (taken in one global order, so two attempts sharing
 * keys cannot deadlock), so a burst of parallel guesses is counted one by one and no more than the limit get
 * through to check a password. Returns the seconds to wait when refused.
 */
export async function takeAttempt(
  db: Store,
  clock: Clock,
  keys: AttemptKey[],
): Promise<{ refusedFor: number } | Attempt> {
  const now = clock.now();
  const ids = await db.sequelize.transaction(async (transaction) => {
    const locks = await db.sequelize.query<{ h: number }>(
      'SELECT DISTINCT hashtext(k) AS h FROM unnest(ARRAY[:keys]::text[]) AS k ORDER BY h',
      { replacements: { keys: keys.map((k) => k.key) }, type: QueryTypes.SELECT, transaction },
    );
    for (const { h } of locks) {
      await db.sequelize.query('SELECT pg_advisory_xact_lock(:h)', { replacements: { h }, transaction });
    }
    let wait = 0;
    for (const { key, limit } of keys) {
      if (limit === null) continue;
      const since = new Date(now.getTime() - limit.windowMinutes * 60_000);
      const [row] = await db.sequelize.query<{ n: string; oldest: Date | null; latest: Date | null }>(
        'SELECT count(*) AS n, min(at) AS oldest, max(at) AS latest FROM auth_failures WHERE key = :key AND at > :since',
        { replacements: { key, since }, type: QueryTypes.SELECT, transaction },
      );
      const n = Number(row.n);
      const until = isBackoff(limit)
        ? row.latest && new Date(row.latest).getTime() + backoffSeconds(limit, n) * 1000
        : n >= limit.max && row.oldest && new Date(row.oldest).getTime() + limit.windowMinutes * 60_000;
      if (until && until > now.getTime()) wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000));
    }
    if (wait > 0) return wait;
    const inserted = await db.sequelize.query<{ id: string }>(
      `INSERT INTO auth_failures (key, at) SELECT k, :now FROM unnest(ARRAY[:keys]::text[]) AS k RETURNING id`,
      { replacements: { keys: keys.map((k) => k.key), now }, type: QueryTypes.SELECT, transaction },
    );
    await db.sequelize.query('DELETE FROM auth_failures WHERE at < :cutoff', {
      replacements: { cutoff: new Date(now.getTime() - 86_400_000) },
      transaction,
    });
    return inserted.map((r) => r.id);
  });
  if (typeof ids === 'number') return { refusedFor: ids };
  return {
    succeeded: async () => {
      await db.sequelize.query('DELETE FROM auth_failures WHERE id IN (:ids)', { replacements: { ids } });
    },
  };
}
