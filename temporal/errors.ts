import { status } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { serviceUnavailable, type ProblemError } from '../api/errors';

/** True when err means the Temporal frontend could not be reached (down, restarting, or too slow to answer). */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    // An update that outlived its deadline (a decision waiting on a stalled activity): its outcome is not known
    // yet, and the caller's retry learns it (done, or REQUEST_NOT_PENDING once it is).
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    const code = (e as { code?: unknown }).code;
    if (code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED) return true;
    if (e instanceof ServiceError && /unavailable|deadline|connect/i.test(e.message)) return true;
  }
  return false;
}

/**
 * What the API asked Temporal to do. A submission (or the start of a cancelation) that fails is rolled back, so
 * nothing was recorded; a decision sent to a running workflow may have been applied even though no answer came.
 */
export type TemporalCall = 'submission' | 'decision';

/** Runs a Temporal call for the API: an unreachable server becomes 503 with Retry-After, never a 500. */
export async function withTemporal<T>(fn: () => Promise<T>, call: TemporalCall = 'submission'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isTemporalUnavailable(err)) throw temporalDown(call);
    throw err;
  }
}

function temporalDown(call: TemporalCall): ProblemError {
  return serviceUnavailable(
    call === 'decision'
      ? // The update may be waiting on a stalled activity and complete after this answer: never claim it did not.
        'We could not confirm this in time, and it may still have been recorded. ' +
          'Reload the request to see its status before trying again.'
      : 'Bookings are briefly unavailable. Nothing was recorded; please try again shortly.',
    5,
  );
}
