import { ActivityFailure, ApplicationFailure, log, type ActivityOptions } from '@temporalio/workflow';

/**
 * Activity options for email and bell steps: a provider outage is retried for a day; each send carries an
 * idempotency key, so retries deliver once; a validation refusal is permanent.
 */
export const notificationActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['EMAIL_REJECTED'],
  },
};

/**
 * Runs notification steps so a permanent refusal is recorded for the operator (and logged with the workflow's
 * ids) instead of failing the booking it reports on.
 */
export function notificationSteps(ids: Record<string, string>) {
  const failures: string[] = [];
  const notify = async (step: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      const cause =
        err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
      failures.push(`${step}: ${cause?.message ?? String(err)}`);
      log.warn('notification failed permanently', { step, ...ids, error: cause?.type ?? 'unknown' });
    }
  };
  return { failures, notify };
}
