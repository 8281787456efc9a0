import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { notificationActivityOptions } from './notifications';

/** Which code row the email is about: ids only, so no code or address ever reaches Temporal's history. */
export interface PortalEmailInput {
  kind: 'sign-in-code' | 'email-verification';
  id: string;
}

/** sent: delivered (or replayed by key); skipped: nobody to send to, or the code can no longer be used. */
export type PortalEmailOutcome = 'sent' | 'skipped' | 'rejected';

const { sendPortalCode } = proxyActivities<ReturnType<typeof createActivities>>({
  ...notificationActivityOptions,
  // A code is awaited on screen and dies within 15 minutes: retry soon and often, and give up a little after
  // no code could still be used (the activity itself sends nothing for a dead code).
  scheduleToCloseTimeout: '20 minutes',
  retry: { ...notificationActivityOptions.retry, initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Emails one portal code (sign-in or new-client email verification) with workflow-email retries. */
export async function portalEmailWorkflow(input: PortalEmailInput): Promise<PortalEmailOutcome> {
  try {
    return await sendPortalCode(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
    if (cause?.type !== 'EMAIL_REJECTED') throw err;
    log.warn('portal code email refused by the provider', { kind: input.kind, id: input.id });
    return 'rejected';
  }
}
