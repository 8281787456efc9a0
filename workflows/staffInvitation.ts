import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { INVITATION_REMINDER_AFTER_DAYS, INVITATION_VALID_DAYS } from '../booking/rules/staffInvitation';

type Activities = ReturnType<typeof createActivities>;

/** Which invitation: its id only (names and addresses stay in the database). */
export interface StaffInvitationInput {
  invitationId: string;
}

/** How the invitation ended; `abandoned`: its row never committed (the API answered an error). */
export type StaffInvitationOutcome = 'accepted' | 'revoked' | 'expired' | 'rejected' | 'abandoned';

/** Sent by the API after it accepted or revoked the invitation in the database, so the workflow ends at once. */
export const staffInvitationClosedSignal = defineSignal<[{ reason: 'accepted' | 'revoked' }]>('closed');
/** Where the invitation stands, for operators. */
export const getStaffInvitationStatusQuery = defineQuery<{
  sent: boolean;
  reminded: boolean;
  closed: 'accepted' | 'revoked' | null;
}>('getStatus');

const DAY_MS = 86_400_000;

// The row is committed within milliseconds of the start; two minutes covers a slow commit, not a lost one.
const { staffInvitationRecorded } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

// An invitation is read within days, not seconds: ride out a provider outage of up to a day, never a refusal.
const emails = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['EMAIL_REJECTED'],
  },
});

const isRejected = (err: unknown) =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === 'EMAIL_REJECTED';

/**
 * One staff invitation: emails the link, reminds once after 3 days if still open, marks it expired after 7.
 * Accepting or revoking (a signal from the API, and the row each email step reads first) ends it with no
 * further email.
 */
export async function staffInvitationWorkflow(input: StaffInvitationInput): Promise<StaffInvitationOutcome> {
  let closed: 'accepted' | 'revoked' | null = null;
  let sent = false;
  let reminded = false;
  setHandler(staffInvitationClosedSignal, ({ reason }) => {
    closed ??= reason;
  });
  setHandler(getStaffInvitationStatusQuery, () => ({ sent, reminded, closed }));

  try {
    await staffInvitationRecorded(input);
  } catch (err) {
    if (err instanceof ActivityFailure) return 'abandoned';
    throw err;
  }

  try {
    const first = await emails.sendStaffInvitation(input);
    if (first !== 'sent') return first;
    sent = true;
  } catch (err) {
    if (!isRejected(err)) throw err;
    // An address the provider refuses will refuse the reminder too; the invitation stays open for a corrected one.
    log.warn('staff invitation refused by the provider', { invitationId: input.invitationId });
    return 'rejected';
  }

  if (await condition(() => closed !== null, INVITATION_REMINDER_AFTER_DAYS * DAY_MS)) return closed!;
  try {
    const second = await emails.sendStaffInvitationReminder(input);
    if (second !== 'sent') return second;
    reminded = true;
  } catch (err) {
    if (!isRejected(err)) throw err;
    log.warn('staff invitation reminder refused by the provider', { invitationId: input.invitationId });
  }

  if (
    await condition(() => closed !== null, (INVITATION_VALID_DAYS - INVITATION_REMINDER_AFTER_DAYS) * DAY_MS)
  )
    return closed!;
  return emails.expireStaffInvitation(input);
}
