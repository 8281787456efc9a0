import {
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { CancelOutcome } from '../booking/cancelOutcome';
import {
  cancellationOutcomeUpdate,
  cancellationWorkflow,
  type CancellationWorkflowInput,
} from '../workflows/cancellation';
import { isTemporalUnavailable } from './errors';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from './searchAttributes';

/** The API builds a cancelation's input here, the one place it talks to Temporal, not in workflow code. */
export type { CancellationWorkflowInput };

/** Workflow id of an appointment's cancelation: one per appointment, from its id only. */
export const cancellationWorkflowId = (appointmentId: string) => `appointment-cancel-${appointmentId}`;

/**
 * Starts the appointment's cancelation, or finds the one already running. A finished earlier run does not
 * block a new one: the cancel step is idempotent, so the new run answers with the first result and notifies
 * nobody again, and a run a business rule refused never stands in the way of a later cancelation.
 */
export async function startCancellation(
  client: Client,
  taskQueue: string,
  input: CancellationWorkflowInput,
): Promise<WorkflowHandle<typeof cancellationWorkflow>> {
  return client.workflow.start(cancellationWorkflow, {
    taskQueue,
    workflowId: cancellationWorkflowId(input.appointmentId),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: practiceIdKey, value: input.practiceId },
      { key: clinicianIdKey, value: input.clinicianId },
      { key: bookingStatusKey, value: 'canceling' },
    ],
  });
}

/**
 * Starts the cancelation and waits for its outcome (not for its emails). Null when no worker got to it within
 * timeoutMs: the cancelation is durably under way and will be judged at input.requestedAt whenever it runs.
 */
export async function cancelAndWait(
  client: Client,
  taskQueue: string,
  input: CancellationWorkflowInput,
  timeoutMs = 15_000,
): Promise<CancelOutcome | null> {
  const handle = await startCancellation(client, taskQueue, input);
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, async () => {
      try {
        return await handle.executeUpdate(cancellationOutcomeUpdate);
      } catch (err) {
        // The run finished before the update reached it (a repeat that had nothing to do): its result is the answer.
        if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError)
          return await handle.result();
        throw err;
      }
    });
  } catch (err) {
    // Started durably before this point: a wait that runs out or loses the server is "under way", never "failed".
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isTemporalUnavailable(err)) return null;
    throw err;
  }
}
