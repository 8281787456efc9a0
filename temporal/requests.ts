import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  appointmentRequestWorkflow,
  approveUpdate,
  declineUpdate,
  withdrawUpdate,
  type DecisionResult,
} from '../workflows/appointmentRequest';
import type { RequestWorkflowInput } from '../booking/submitRequest';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from './searchAttributes';

/** Workflow id of a request: derived from the request id only, never from personal data. */
export const requestWorkflowId = (requestId: string) => `appointment-request-${requestId}`;

/** Starts (or, for a retried call, finds) the request's workflow. */
export async function startRequestWorkflow(
  client: Client,
  taskQueue: string,
  input: RequestWorkflowInput,
  timeoutMs = 5_000,
): Promise<void> {
  // Called inside the submission's transaction: without a deadline the client retries an unreachable server for
  // about half a minute, holding the clinician's lock and a pooled connection, so the API hangs instead of
  // answering 503. A start that got through but answered late is harmless: the rolled-back row makes it abandon.
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(appointmentRequestWorkflow, {
      taskQueue,
      workflowId: requestWorkflowId(input.requestId),
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: practiceIdKey, value: input.practiceId },
        { key: clinicianIdKey, value: input.clinicianId },
        { key: bookingStatusKey, value: 'recording' },
      ],
    }),
  );
}

/** A decision sent to a request's workflow, as the API asks it. */
export type RequestDecision =
  | { kind: 'approve'; actorId: string }
  | { kind: 'decline'; actorId: string; note?: string | null }
  | { kind: 'withdraw'; clientId: string };

/**
 * Sends a decision as a workflow Update and waits for its answer (the caller must learn whether it booked).
 * A workflow that has already finished answers REQUEST_NOT_PENDING, as does one whose validator refuses.
 */
export async function decideRequest(
  client: Client,
  requestId: string,
  decision: RequestDecision,
  timeoutMs = 30_000,
): Promise<DecisionResult> {
  const handle = client.workflow.getHandle(requestWorkflowId(requestId));
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () => {
      switch (decision.kind) {
        case 'approve':
          return handle.executeUpdate(approveUpdate, { args: [{ actorId: decision.actorId }] });
        case 'decline':
          return handle.executeUpdate(declineUpdate, {
            args: [{ actorId: decision.actorId, note: decision.note ?? null }],
          });
        case 'withdraw':
          return handle.executeUpdate(withdrawUpdate, { args: [{ clientId: decision.clientId }] });
      }
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
      return {
        ok: false,
        code: 'REQUEST_NOT_PENDING',
        message: 'This request is no longer pending.',
        status: 'pending',
      };
    }
    throw err;
  }
}
