import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { CancellationStart } from '../booking/requestCancellation';
import type { createActivities } from '../activities';
import type { CancelOutcome } from '../booking/cancelOutcome';
import type { CanceledStatus } from '../booking/cancelAppointment';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../temporal/searchAttributes';
import { appointmentCanceledSignal } from './appointmentRequest';
import { notificationSteps } from './notifications';
import { stepAttention, type FailingStep, type StepPolicy } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/**
 * Statuses a cancelation workflow moves through; `refused` means a business rule said no and nothing changed,
 * `failed` that the cancel step failed for good (the database refused its data): nothing changed either.
 */
export type CancellationWorkflowStatus = 'canceling' | CanceledStatus | 'refused' | 'failed';

/** What a cancelation runs on; ids and the moment asked only, nothing personal (defined once, in booking/). */
export type CancellationWorkflowInput = CancellationStart;

/** Answers once the appointment is canceled (or refused), without waiting for the emails. */
export const cancellationOutcomeUpdate = defineUpdate<CancelOutcome>('cancellationOutcome');
/** The workflow's view of the cancelation, for operators and tests. */
export const getCancellationStatusQuery = defineQuery<{
  status: CancellationWorkflowStatus;
  emailFailures: string[];
  /** The step that keeps failing (or failed for good), with its attempts and last error; null when none. */
  failingStep: FailingStep | null;
}>('getStatus');

// Database work: retried through short outages of PostgreSQL; the cancel is idempotent, so a retry is harmless.
const databasePolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  initialInterval: '1 second',
  maximumInterval: '30 seconds',
  maximumIntervalMs: 30_000,
};
const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);

/**
 * One appointment's cancelation: mark it Canceled or Late Canceled (judged at input.requestedAt, never at the
 * time a worker runs it) and free its slot, then notify the clinician (email and bell) and the client.
 */
export async function cancellationWorkflow(input: CancellationWorkflowInput): Promise<CancelOutcome> {
  let status: CancellationWorkflowStatus = 'canceling';
  let outcome: CancelOutcome | undefined = undefined;
  const steps = stepAttention();
  const { failures: emailFailures, notify } = notificationSteps(
    { appointmentId: input.appointmentId },
    steps,
  );

  upsertSearchAttributes([
    { key: practiceIdKey, value: input.practiceId },
    { key: clinicianIdKey, value: input.clinicianId },
    { key: bookingStatusKey, value: status },
  ]);
  setHandler(getCancellationStatusQuery, () => ({
    status,
    emailFailures,
    failingStep: steps.failingStep(),
  }));
  setHandler(cancellationOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });

  let result: CancelOutcome;
  try {
    result = await steps.run('cancelAppointment', databasePolicy, (options) =>
      activities(options).cancelAppointment({
        appointmentId: input.appointmentId,
        requestedAt: input.requestedAt,
        by: input.by,
        status: input.by === 'staff' ? input.status : undefined,
        // An execution started before reasons were kept by id still carries its text; a new one only the id.
        ...(input.reason != null ? { reason: input.reason } : { reasonId: input.reasonId ?? null }),
        actorId: input.actorId ?? null,
      }),
    );
  } catch (err) {
    // Data the database refuses can never be recorded: answer the caller and end, leaving the appointment as it
    // was, instead of retrying forever (which would also hold the workflow id against the practice's cancel).
    const cause = err instanceof ActivityFailure ? err.cause : null;
    if (!(cause instanceof ApplicationFailure) || cause.type !== 'DATA_REJECTED') throw err;
    log.warn('cancelation failed for good', {
      appointmentId: input.appointmentId,
      workflowId: workflowInfo().workflowId,
      error: cause.type,
    });
    result = {
      ok: false,
      code: 'DATA_REJECTED',
      message: 'This cancelation could not be recorded: part of it is text we cannot store. Nothing changed.',
    };
  }
  outcome = result;
  status = result.ok ? result.status : result.code === 'DATA_REJECTED' ? 'failed' : 'refused';
  upsertSearchAttributes([{ key: bookingStatusKey, value: status }]);
  // A pending request to move this appointment was closed with it: its workflow hears now, not at its deadline.
  // Earlier histories never had a closed request, so they never reach the gate; new ones carry its marker.
  if (result.ok && result.closedRequestId && patched('close-reschedule-request')) {
    try {
      // The request workflow's id (DESIGN.md section 6).
      await getExternalWorkflowHandle(`appointment-request-${result.closedRequestId}`).signal(
        appointmentCanceledSignal,
      );
    } catch {
      // Already ended (its deadline came first): nothing to tell, and the request row is closed either way.
      log.info('reschedule request workflow not signaled', { requestId: result.closedRequestId });
    }
  }

  // Only the run that canceled notifies; a repeated cancelation finds it done and tells nobody again.
  if (result.ok && result.changed) {
    const { appointmentId } = input;
    const clinicianActed = input.by === 'staff' && input.actorId === input.clinicianId;
    await Promise.all([
      clinicianActed
        ? null
        : notify('cancelation to clinician', 'notifyClinicianOfCancellation', (options) =>
            activities(options).notifyClinicianOfCancellation({ appointmentId }),
          ),
      input.notifyClient || input.by === 'client'
        ? notify('cancelation to client', 'sendCancellationToClient', (options) =>
            activities(options).sendCancellationToClient({ appointmentId }),
          )
        : null,
    ]);
  }
  // Let a caller waiting on the outcome get its answer before the workflow completes.
  await condition(allHandlersFinished);
  return result;
}
