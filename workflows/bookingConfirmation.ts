import {
  defineQuery,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { BookingConfirmationInput } from '../booking/staffBooking';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../temporal/searchAttributes';
import { notificationSteps } from './notifications';
import { stepAttention, type FailingStep } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/** The confirmation's progress, for operators and tests. */
export const getBookingConfirmationStatusQuery = defineQuery<{
  emailFailures: string[];
  failingStep: FailingStep | null;
}>('getStatus');

const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);

/**
 * Emails the client the confirmation (with its .ics invite) of an appointment staff booked. Started in the
 * booking's transaction, so the email survives a provider outage and a worker restart; retried as every
 * notification is (a day), a permanent refusal recorded instead of failing.
 */
export async function bookingConfirmationWorkflow(input: BookingConfirmationInput): Promise<void> {
  const steps = stepAttention();
  const { failures: emailFailures, notify } = notificationSteps(
    { appointmentId: input.appointmentId },
    steps,
  );
  upsertSearchAttributes([
    { key: practiceIdKey, value: input.practiceId },
    { key: clinicianIdKey, value: input.clinicianId },
    { key: bookingStatusKey, value: 'scheduled' },
  ]);
  setHandler(getBookingConfirmationStatusQuery, () => ({ emailFailures, failingStep: steps.failingStep() }));
  await notify('confirmation to client', 'sendBookingConfirmation', async (options) => {
    await activities(options).sendBookingConfirmation({ appointmentId: input.appointmentId });
  });
}
