import {
  ApplicationFailure,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  appointmentRequestWorkflow,
  approveUpdate,
  declineUpdate,
  withdrawUpdate,
  type DecisionResult,
  type RequestWorkflowStatus,
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
  | { kind: 'approve'; actorId: string; asNewClient?: boolean }
  | { kind: 'decline'; actorId: string; noteId?: string | null }
  | { kind: 'withdraw'; clientId: string };

/**
 * Sends a decision as a workflow Update and waits for its answer (the caller must learn whether it booked).
 * Only the workflow's own refusal (its validator: the request is no longer pending) and a workflow that has
 * already finished answer REQUEST_NOT_PENDING, each with the status the workflow reached; any other failure of
 * the update (a bug, a failed step) is thrown, never dressed up as a refusal.
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
          return handle.executeUpdate(approveUpdate, {
            // Sent only when asked, so an ordinary approval's update argument is what it always was.
            args: [
              decision.asNewClient
                ? { actorId: decision.actorId, asNewClient: true }
                : { actorId: decision.actorId },
            ],
          });
        case 'decline':
          return handle.executeUpdate(declineUpdate, {
            args: [{ actorId: decision.actorId, noteId: decision.noteId ?? null }],
          });
        case 'withdraw':
          return handle.executeUpdate(withdrawUpdate, { args: [{ clientId: decision.clientId }] });
      }
    });
  } catch (err) {
    const refusal = notPendingRefusal(err);
    if (refusal) {
      return {
        ok: false,
        code: 'REQUEST_NOT_PENDING',
        message: refusal.message,
        status: refusal.status ?? (await recordedStatus(handle, err, { running: true })),
      };
    }
    if (err instanceof WorkflowNotFoundError) {
      const status = await recordedStatus(handle, err, { running: false });
      return {
        ok: false,
        code: 'REQUEST_NOT_PENDING',
        message: `This request is already ${status}.`,
        status,
      };
    }
    throw err;
  }
}

/** The workflow validator's REQUEST_NOT_PENDING refusal (with the status it names), or null for anything else. */
function notPendingRefusal(err: unknown): { message: string; status?: RequestWorkflowStatus } | null {
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  const cause = err.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'REQUEST_NOT_PENDING') return null;
  const status = cause.details?.[0] as RequestWorkflowStatus | undefined;
  return { message: cause.message, status };
}

/**
 * The status the request workflow last recorded (its BookingStatus search attribute). When the update said "not
 * found", only a closed workflow explains it; one still running or never started is no answer, so the original
 * error is thrown.
 */
async function recordedStatus(
  handle: WorkflowHandle,
  original: unknown,
  opts: { running: boolean },
): Promise<RequestWorkflowStatus> {
  const description = await handle.describe().catch(() => {
    throw original;
  });
  const status = description.typedSearchAttributes.get(bookingStatusKey);
  if ((!opts.running && description.status.name === 'RUNNING') || !status) throw original;
  return status as RequestWorkflowStatus;
}
