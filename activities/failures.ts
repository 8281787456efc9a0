import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Logger } from '../lib/logger';
import { sqlStateOf, summarizeError } from '../lib/errorSummary';

/**
 * SQLSTATEs that say the statement's own data is refused, so the same step fails the same way on every retry:
 * class 22 (data exceptions: NUL in text 22021, an escape JSONB refuses 22P05, a value out of range 22008...)
 * and 23502 (NULL where the schema forbids it). Other integrity errors are left to retry: a unique (23505),
 * exclusion (23P01) or check (23514) violation here depends on rows another transaction may change meanwhile.
 */
export function isPermanentDatabaseError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state === '23502');
}

function attemptInfo(): { activity?: string; attempt?: number; workflowId?: string } {
  try {
    const info = Context.current().info;
    return {
      activity: info.activityType,
      attempt: info.attempt,
      workflowId: info.workflowExecution?.workflowId,
    };
  } catch {
    return {};
  }
}

/**
 * The failure an activity attempt reports to Temporal: type, a message without personal data, the code and the
 * attempt in its details (the workflow shows them in getStatus), non-retryable when a retry cannot help.
 */
export function toActivityFailure(err: unknown, attempt?: number): unknown {
  if (err instanceof CancelledFailure) return err;
  if (err instanceof ApplicationFailure) {
    if (err.details?.length) return err;
    return ApplicationFailure.create({
      type: err.type ?? 'Error',
      message: summarizeError(err).message,
      nonRetryable: err.nonRetryable ?? false,
      details: [{ attempt }],
      nextRetryDelay: err.nextRetryDelay ?? undefined,
      category: err.category ?? undefined,
    });
  }
  const summary = summarizeError(err);
  const details = [{ code: summary.code, attempt }];
  if (isPermanentDatabaseError(err)) {
    return ApplicationFailure.create({
      type: 'DATA_REJECTED',
      message: `The database refused this step's data (${summary.code}): ${summary.message}`,
      nonRetryable: true,
      details,
    });
  }
  return ApplicationFailure.create({ type: summary.type, message: summary.message, details });
}

// Activities take any plain arguments; the wrapper passes them through untouched.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityFn = (...args: any[]) => Promise<unknown>;

/**
 * Wraps every activity so each failed attempt is logged with the error's type, message and code (never the
 * statement, its values or an address), and reaches Temporal as a failure the workflow can show to operators.
 */
export function reportingFailures<T extends Record<string, ActivityFn>>(activities: T, log: Logger): T {
  const wrapped: Record<string, ActivityFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (err) {
        const where = attemptInfo();
        const failure = toActivityFailure(err, where.attempt);
        if (!(failure instanceof CancelledFailure)) {
          const permanent = failure instanceof ApplicationFailure && failure.nonRetryable;
          // The SDK's own words, so searches for "Activity failed" find these lines (its copy is at debug).
          log[permanent ? 'error' : 'warn'](
            { ...where, activity: name, retrying: !permanent, err },
            'Activity failed',
          );
        }
        throw failure;
      }
    };
  }
  return wrapped as T;
}
