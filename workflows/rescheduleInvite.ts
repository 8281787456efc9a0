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
import type { RescheduleInviteInput, RescheduleInviteOutcome } from '../booking/reschedule';
import { stepAttention, type FailingStep, type StepPolicy } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/** The send step, as operators see it while it is retried. */
export const getRescheduleInviteStatusQuery = defineQuery<{ failingStep: FailingStep | null }>('getStatus');

// The client should hear of a new time soon, but an invite a day late still fixes their calendar; give up after a
// day like the cancelation emails.
const invitePolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeoutMs: 24 * 3_600_000,
  initialInterval: '1 second',
  maximumInterval: '5 minutes',
  maximumIntervalMs: 5 * 60_000,
  nonRetryableErrorTypes: ['EMAIL_REJECTED', 'RESCHEDULE_NOT_RECORDED'],
  quietTypes: ['RESCHEDULE_NOT_YET_RECORDED'],
};

const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);

/** Emails the client the updated invite (same UID, higher SEQUENCE) after staff moved their appointment. */
export async function rescheduleInviteWorkflow(
  input: RescheduleInviteInput,
): Promise<RescheduleInviteOutcome> {
  const steps = stepAttention();
  setHandler(getRescheduleInviteStatusQuery, () => ({ failingStep: steps.failingStep() }));
  const since = Date.now();
  try {
    return await steps.run('sendRescheduledInvite', invitePolicy, (options) =>
      activities(options).sendRescheduledInvite({ ...input, since }),
    );
  } catch (err) {
    const cause =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
    if (cause?.type === 'RESCHEDULE_NOT_RECORDED') return 'not-recorded';
    if (cause?.type !== 'EMAIL_REJECTED') throw err;
    log.warn('rescheduled invite refused by the provider', { appointmentId: input.appointmentId });
    return 'rejected';
  }
}
