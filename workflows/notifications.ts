import { ActivityFailure, ApplicationFailure, log, type ActivityOptions } from '@temporalio/workflow';
import type { StepPolicy, stepAttention } from './stepAttention';

/**
 * Email and bell steps: a provider outage is retried for a day; each send carries an idempotency key, so retries
 * deliver once; a validation refusal is permanent.
 */
export const notificationPolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeoutMs: 24 * 3_600_000,
  initialInterval: '2 seconds',
  maximumInterval: '5 minutes',
  maximumIntervalMs: 5 * 60_000,
  nonRetryableErrorTypes: ['EMAIL_REJECTED'],
};

/**
 * Runs notification steps so a permanent refusal is recorded for the operator (and logged with the workflow's
 * ids) instead of failing the booking it reports on; a step that keeps failing shows in getStatus meanwhile.
 */
export function notificationSteps(ids: Record<string, string>, steps: ReturnType<typeof stepAttention>) {
  const failures: string[] = [];
  const notify = async (
    label: string,
    activity: string,
    call: (options: ActivityOptions) => Promise<void>,
  ): Promise<void> => {
    try {
      await steps.run(activity, notificationPolicy, call);
    } catch (err) {
      const cause =
        err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
      failures.push(`${label}: ${cause?.message ?? String(err)}`);
      log.warn('notification failed permanently', {
        step: label,
        ...ids,
        error: cause?.type ?? 'unknown',
      });
    }
  };
  return { failures, notify };
}
