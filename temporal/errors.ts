import { status } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

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

/**
 * Temporal did not answer a call the API made. The API's error middleware turns it into 503 with Retry-After,
 * worded by `call`: this folder knows what happened, api/ knows how to say it over HTTP.
 */
export class TemporalUnavailableError extends Error {
  constructor(
    readonly call: TemporalCall,
    options?: { cause?: unknown },
  ) {
    super(`Temporal did not answer the ${call} in time`, options);
    this.name = 'TemporalUnavailableError';
  }
}

/** Runs a Temporal call for the API: an unreachable server becomes a TemporalUnavailableError, never a 500. */
export async function withTemporal<T>(fn: () => Promise<T>, call: TemporalCall = 'submission'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isTemporalUnavailable(err)) throw new TemporalUnavailableError(call, { cause: err });
    throw err;
  }
}
