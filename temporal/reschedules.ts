import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { RescheduleInviteInput } from '../booking/reschedule';
import { rescheduleInviteWorkflow } from '../workflows/rescheduleInvite';

/** One workflow per move: the appointment's id and the invite sequence the move committed. */
export const rescheduleInviteWorkflowId = (input: { appointmentId: string; sequence: number }) =>
  `appointment-reschedule-${input.appointmentId}-${input.sequence}`;

/**
 * Starts the updated-invite email inside the move's transaction; bounded, so an unreachable server is a prompt 503
 * and the move rolls back rather than a hung request.
 */
export async function startRescheduleInvite(
  client: Client,
  taskQueue: string,
  input: RescheduleInviteInput,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(rescheduleInviteWorkflow, {
      taskQueue,
      workflowId: rescheduleInviteWorkflowId(input),
      args: [input],
      // A run left from a move that rolled back (same sequence) reads the database when it sends: it serves this one.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    }),
  );
}
