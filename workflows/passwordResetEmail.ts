import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  log,
  proxyActivities,
  setHandler,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PasswordResetEmailInput, PasswordResetEmailOutcome } from '../booking/passwordResetEmail';
import { stepAttention, type FailingStep, type StepPolicy } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/** The send step, as operators see it while it is retried. */
export const getPasswordResetEmailStatusQuery = defineQuery<{ failingStep: FailingStep | null }>('getStatus');

// The link dies after an hour and the person is waiting for it: retry soon and often, and give up a little after
// the link could still be used (the activity itself sends nothing for a dead link).
const passwordResetEmailPolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeoutMs: 65 * 60_000,
  initialInterval: '1 second',
  maximumInterval: '1 minute',
  maximumIntervalMs: 60_000,
  nonRetryableErrorTypes: ['EMAIL_REJECTED'],
};

const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);

/** Emails one staff password reset link, retried through a provider outage while the link lives. */
export async function passwordResetEmailWorkflow(
  input: PasswordResetEmailInput,
): Promise<PasswordResetEmailOutcome> {
  const steps = stepAttention();
  setHandler(getPasswordResetEmailStatusQuery, () => ({ failingStep: steps.failingStep() }));
  try {
    return await steps.run('sendPasswordReset', passwordResetEmailPolicy, (options) =>
      activities(options).sendPasswordReset(input),
    );
  } catch (err) {
    const cause =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
    if (cause?.type !== 'EMAIL_REJECTED') throw err;
    log.warn('password reset email refused by the provider', { id: input.id });
    return 'rejected';
  }
}
