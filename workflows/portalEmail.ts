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
import type { PortalEmailInput, PortalEmailOutcome } from '../booking/portalEmail';
import { stepAttention, type FailingStep, type StepPolicy } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/** The send step, as operators see it while it is retried. */
export const getPortalEmailStatusQuery = defineQuery<{ failingStep: FailingStep | null }>('getStatus');

// A code is awaited on screen and dies within 15 minutes: retry soon and often, and give up a little after no code
// could still be used (the activity itself sends nothing for a dead code).
const portalEmailPolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeoutMs: 20 * 60_000,
  initialInterval: '1 second',
  maximumInterval: '30 seconds',
  maximumIntervalMs: 30_000,
  nonRetryableErrorTypes: ['EMAIL_REJECTED'],
};

const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);

/** Emails one portal code (sign-in or new-client email verification) with workflow-email retries. */
export async function portalEmailWorkflow(input: PortalEmailInput): Promise<PortalEmailOutcome> {
  const steps = stepAttention();
  setHandler(getPortalEmailStatusQuery, () => ({ failingStep: steps.failingStep() }));
  try {
    return await steps.run('sendPortalCode', portalEmailPolicy, (options) =>
      activities(options).sendPortalCode(input),
    );
  } catch (err) {
    const cause =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
    if (cause?.type !== 'EMAIL_REJECTED') throw err;
    log.warn('portal code email refused by the provider', { kind: input.kind, id: input.id });
    return 'rejected';
  }
}
