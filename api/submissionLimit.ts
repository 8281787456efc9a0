import { QueryTypes } from 'sequelize';
import type { Clock } from '../lib/clock';
import { BookingError } from '../booking/errors';
import { ProblemError } from './errors';
import type { FailureLimit } from './auth/rateLimit';
import type { Store } from '../models/store';

/**
 * Appointment requests per network address at one practice: a household or an office sends a few, a bot
 * that tries to hold every slot sends hundreds (per email, booking/submitRequest.ts caps pending requests).
 */
export const SUBMISSIONS_PER_ADDRESS: FailureLimit = { max: 10, windowMinutes: 60 };

function tooManySubmissions(seconds: number): ProblemError {
  return new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many requests',
    'Too many appointment requests from this network. Please try again later.',
    {},
    { 'Retry-After': String(seconds) },
  );
}

/**
 * Counts one submission from `address` at the practice, refusing with 429 past the limit, then runs it. A
 * submission that failed on our side (an outage: 5xx, or 503 while Temporal is away) is not counted, so a client
 * retrying through an outage is never locked out by it.
 */
export async function withSubmissionLimit<T>(
  deps: { db: Store; clock: Clock },
  practiceId: string,
  address: string,
  submit: () => Promise<T>,
): Promise<T> {
  const key = `portal-request:${practiceId}:${address}`;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - SUBMISSIONS_PER_ADDRESS.windowMinutes * 60_000);
  const counted = await deps.db.sequelize.transaction(async (transaction) => {
    // Concurrent submissions from one address queue here, so a burst cannot all read the same count.
    await deps.db.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:key))', {
      replacements: { key },
      transaction,
    });
    const [row] = await deps.db.sequelize.query<{ n: string; oldest: Date | null }>(
      'SELECT count(*) AS n, min(at) AS oldest FROM auth_failures WHERE key = :key AND at > :since',
      { replacements: { key, since }, type: QueryTypes.SELECT, transaction },
    );
    if (Number(row.n) >= SUBMISSIONS_PER_ADDRESS.max && row.oldest) {
      const unlockAt = new Date(row.oldest).getTime() + SUBMISSIONS_PER_ADDRESS.windowMinutes * 60_000;
      throw tooManySubmissions(Math.max(1, Math.ceil((unlockAt - now.getTime()) / 1000)));
    }
    await deps.db.sequelize.query('DELETE FROM auth_failures WHERE key = :key AND at <= :since', {
      replacements: { key, since },
      transaction,
    });
    const [inserted] = await deps.db.sequelize.query<{ id: string }>(
      'INSERT INTO auth_failures (key, at) VALUES (:key, :now) RETURNING id',
      { replacements: { key, now }, type: QueryTypes.SELECT, transaction },
    );
    return inserted.id;
  });
  try {
    return await submit();
  } catch (err) {
    const ours = err instanceof ProblemError ? err.status >= 500 : !(err instanceof BookingError);
    if (ours) {
      await deps.db.sequelize
        .query('DELETE FROM auth_failures WHERE id = :id', { replacements: { id: counted } })
        .catch(() => {});
    }
    throw err;
  }
}
