import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { CancelOutcome } from '../activities/cancellations';
import type { CanceledBy, CanceledStatus } from '../booking/cancelAppointment';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../temporal/searchAttributes';
import { notificationActivityOptions, notificationSteps } from './notifications';

type Activities = ReturnType<typeof createActivities>;

/** Statuses a cancelation workflow moves through; `refused` means a business rule said no and nothing changed. */
export type CancellationWorkflowStatus = 'canceling' | CanceledStatus | 'refused';

/** What a cancelation runs on; ids and the moment asked only, nothing personal. */
export interface CancellationWorkflowInput {
  appointmentId: string;
  practiceId: string;
  clinicianId: string;
  /** When the client (or the practice) asked, recorded by the API: the moment the policy judges. */
  requestedAt: string;
  by: CanceledBy;
  /** The practice's choice; staff only. */
  status?: CanceledStatus;
  reason?: string | null;
  /** Whether the client gets the confirmation email (always for the client's own cancelation). */
  notifyClient: boolean;
  /** The client or staff user who asked; a clinician canceling their own appointment is not notified of it. */
  actorId?: string | null;
}

/** Answers once the appointment is canceled (or refused), without waiting for the emails. */
export const cancellationOutcomeUpdate = defineUpdate<CancelOutcome>('cancellationOutcome');
/** The workflow's view of the cancelation, for operators and tests. */
export const getCancellationStatusQuery = defineQuery<{
  status: CancellationWorkflowStatus;
  emailFailures: string[];
}>('getStatus');

// Database work: retried through short outages of PostgreSQL; the cancel is idempotent, so a retry is harmless.
const { cancelAppointment } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { notifyClinicianOfCancellation, sendCancellationToClient } =
  proxyActivities<Activities>(notificationActivityOptions);

/**
 * One appointment's cancelation: mark it Canceled or Late Canceled (judged at input.requestedAt, never at the
 * time a worker runs it) and free its slot, then notify the clinician (email and bell) and the client.
 */
export async function cancellationWorkflow(input: CancellationWorkflowInput): Promise<CancelOutcome> {
  let status: CancellationWorkflowStatus = 'canceling';
  let outcome: CancelOutcome | undefined = undefined;
  const { failures: emailFailures, notify } = notificationSteps({ appointmentId: input.appointmentId });

  upsertSearchAttributes([
    { key: practiceIdKey, value: input.practiceId },
    { key: clinicianIdKey, value: input.clinicianId },
    { key: bookingStatusKey, value: status },
  ]);
  setHandler(getCancellationStatusQuery, () => ({ status, emailFailures }));
  setHandler(cancellationOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });

  const result = await cancelAppointment({
    appointmentId: input.appointmentId,
    requestedAt: input.requestedAt,
    by: input.by,
    status: input.by === 'staff' ? input.status : undefined,
    reason: input.reason ?? null,
    actorId: input.actorId ?? null,
  });
  outcome = result;
  status = result.ok ? result.status : 'refused';
  upsertSearchAttributes([{ key: bookingStatusKey, value: status }]);

  // Only the run that canceled notifies; a repeated cancelation finds it done and tells nobody again.
  if (result.ok && result.changed) {
    const { appointmentId } = input;
    const clinicianActed = input.by === 'staff' && input.actorId === input.clinicianId;
    await Promise.all([
      clinicianActed
        ? null
        : notify('cancelation to clinician', () => notifyClinicianOfCancellation({ appointmentId })),
      input.notifyClient || input.by === 'client'
        ? notify('cancelation to client', () => sendCancellationToClient({ appointmentId }))
        : null,
    ]);
  }
  // Let a caller waiting on the outcome get its answer before the workflow completes.
  await condition(allHandlersFinished);
  return result;
}
