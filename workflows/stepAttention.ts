import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  patched,
  sleep,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { attentionKey } from '../temporal/searchAttributes';

/** What the workflow learned of a step's last failed attempt (type, message and code; no personal data). */
export interface StepError {
  type: string;
  message: string;
  code?: string;
}

/** A step that keeps failing (still retried) or failed for good (`permanent`), as getStatus shows it. */
export interface FailingStep {
  step: string;
  attempts: number;
  lastError: StepError;
  permanent: boolean;
}

/** Attempts of a step before it is shown to operators as failing: a blip of a few seconds is not news. */
export const ATTENTION_AFTER_ATTEMPTS = 5;
/** Attempts per later round; each round ends with an update of the attempts and last error shown. */
export const ATTEMPTS_PER_ROUND = 20;

/** The step retry policy a workflow runs with, before it is cut into rounds. */
export interface StepPolicy {
  startToCloseTimeout: Duration;
  /** The whole step's budget over every round; unlimited when absent. */
  scheduleToCloseTimeoutMs?: number;
  initialInterval: Duration;
  maximumInterval: Duration;
  maximumIntervalMs: number;
  backoffCoefficient?: number;
  nonRetryableErrorTypes?: string[];
  /** Failure types that are an expected answer, not a fault (a request still committing): never flagged. */
  quietTypes?: string[];
}

/** The options the step ran with before rounds existed: one activity execution, retried without limit. */
function singleRunOptions(policy: StepPolicy): ActivityOptions {
  return {
    startToCloseTimeout: policy.startToCloseTimeout,
    ...(policy.scheduleToCloseTimeoutMs !== undefined
      ? { scheduleToCloseTimeout: policy.scheduleToCloseTimeoutMs }
      : {}),
    retry: {
      initialInterval: policy.initialInterval,
      maximumInterval: policy.maximumInterval,
      ...(policy.backoffCoefficient !== undefined ? { backoffCoefficient: policy.backoffCoefficient } : {}),
      ...(policy.nonRetryableErrorTypes ? { nonRetryableErrorTypes: policy.nonRetryableErrorTypes } : {}),
    },
  };
}

function stepErrorOf(err: unknown): StepError {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { code?: unknown };
    return {
      type: cause.type ?? 'Error',
      message: cause.message,
      ...(typeof details.code === 'string' ? { code: details.code } : {}),
    };
  }
  if (cause instanceof TimeoutFailure)
    return { type: 'TIMEOUT', message: `timed out (${cause.timeoutType})`, code: String(cause.timeoutType) };
  return { type: (cause as Error | undefined)?.name ?? 'Error', message: String((cause as Error)?.message) };
}

/** The attempt an activity reported in its failure details (activities/failures.ts), if it did. */
function attemptOf(err: ActivityFailure): number | undefined {
  const cause = err.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const attempt = (cause.details?.[0] as { attempt?: unknown } | undefined)?.attempt;
  return typeof attempt === 'number' ? attempt : undefined;
}

/**
 * Runs a workflow's activity steps so one that keeps failing becomes visible while it is still being retried.
 *
 * A workflow never sees an activity's attempts, only its final result, so a step is run in rounds: first
 * ATTENTION_AFTER_ATTEMPTS attempts, then rounds of ATTEMPTS_PER_ROUND, each a fresh activity execution (emails
 * keep their idempotency keys, database steps are idempotent, so a new round is a retry like any other). Between
 * rounds the workflow records the step (attempts so far, last error), sets the BookingAttention search attribute
 * to `failing:<step>`, and waits the maximum interval, so the pace of attempts stays that of the retry policy.
 * A success clears both; a failure that cannot succeed on retry leaves `failed:<step>`.
 *
 * Workflows started before this existed keep their single unlimited execution (the patch marker decides), so
 * their recorded histories replay unchanged.
 */
export function stepAttention() {
  const rounds = patched('step-attention-rounds');
  const failing = new Map<string, FailingStep>();
  let attention: string | null = null;

  const publish = () => {
    // The oldest step still failing is the one shown; a permanent failure stays until the workflow ends.
    const first = [...failing.values()][0];
    const next = first ? `${first.permanent ? 'failed' : 'failing'}:${first.step}` : null;
    if (next === attention) return;
    attention = next;
    upsertSearchAttributes([{ key: attentionKey, value: next }]);
  };

  /** Runs step through `call` (which starts the activity with the options given) under the attention rules. */
  async function run<R>(
    step: string,
    policy: StepPolicy,
    call: (options: ActivityOptions) => Promise<R>,
  ): Promise<R> {
    if (!rounds) return call(singleRunOptions(policy));
    const startedAt = Date.now();
    let attempts = 0;
    for (let round = 0; ; round++) {
      const maximumAttempts = round === 0 ? ATTENTION_AFTER_ATTEMPTS : ATTEMPTS_PER_ROUND;
      const base = singleRunOptions(policy);
      const options: ActivityOptions = {
        ...base,
        retry: {
          ...base.retry,
          // Later rounds continue at the pace the first had reached.
          initialInterval: round === 0 ? policy.initialInterval : policy.maximumInterval,
          maximumAttempts,
        },
      };
      if (policy.scheduleToCloseTimeoutMs !== undefined)
        options.scheduleToCloseTimeout = Math.max(
          1,
          policy.scheduleToCloseTimeoutMs - (Date.now() - startedAt),
        );
      try {
        const result = await call(options);
        if (failing.delete(step)) publish();
        return result;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const retriable = err.retryState === 'MAXIMUM_ATTEMPTS_REACHED';
        attempts += retriable ? maximumAttempts : (attemptOf(err) ?? 1);
        const lastError = stepErrorOf(err);
        if (!policy.quietTypes?.includes(lastError.type)) {
          failing.set(step, { step, attempts, lastError, permanent: !retriable });
          publish();
        } else if (failing.delete(step)) publish();
        if (!retriable) throw err;
        await sleep(policy.maximumIntervalMs);
      }
    }
  }

  return {
    run,
    /** The step shown to operators in getStatus, or null when every step ran. */
    failingStep: (): FailingStep | null => [...failing.values()][0] ?? null,
  };
}
