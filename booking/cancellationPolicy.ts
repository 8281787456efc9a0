import type { CancellationPolicy } from '../models/practice';

const HOURS: Record<Exclude<CancellationPolicy, 'phone_call'>, number> = { '24h': 24, '48h': 48, '72h': 72 };

/** The last instant a client may cancel without it counting as late; null when only a phone call cancels. */
export function cancellationCutoff(startsAt: Date, policy: CancellationPolicy): Date | null {
  if (policy === 'phone_call') return null;
  return new Date(startsAt.getTime() - HOURS[policy] * 3_600_000);
}

/** Canceled when asked at or before the cutoff, late canceled after it (the moment asked, not when processed). */
export function classifyCancellation(
  startsAt: Date,
  policy: Exclude<CancellationPolicy, 'phone_call'>,
  requestedAt: Date,
): 'canceled' | 'late_canceled' {
  const cutoff = cancellationCutoff(startsAt, policy)!;
  return requestedAt.getTime() <= cutoff.getTime() ? 'canceled' : 'late_canceled';
}
