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

/** Runs a Temporal call for the API: an unreachable server becomes 503 with Retry-After, never a 500. */
export async function withTemporal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isTemporalUnavailable(err)) throw temporalDown();
    throw err;
  }
}

function temporalDown(): ProblemError {
  return serviceUnavailable(
    'Bookings are briefly unavailable. Nothing was recorded; please try again shortly.',
    5,
  );
}
