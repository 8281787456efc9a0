import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

/** Whom to tell (a staff user's id) and this notice's own id (its email's idempotency key). */
export interface StaffSignupNoticeInput {
  userId: string;
  noticeId: string;
}

// A courtesy email: ride out a provider outage of a few hours, never a refusal.
const { sendStaffSignupNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['EMAIL_REJECTED'],
  },
});

/**
 * Answers a web sign-up for an address that already has a staff account: the person is told by email, the
 * sign-up form answers as for anyone else, so the form never reveals who has an account.
 */
export async function staffSignupNoticeWorkflow(
  input: StaffSignupNoticeInput,
): Promise<'sent' | 'skipped' | 'rejected'> {
  try {
    return await sendStaffSignupNotice(input);
  } catch (err) {
    if (
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === 'EMAIL_REJECTED'
    )
      return 'rejected';
    throw err;
  }
}
