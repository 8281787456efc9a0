import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { appointmentWorkflowId } from '../booking/rules/reminders';
import { appointmentWorkflow } from '../workflows/appointment';

export { appointmentWorkflowId };

/**
 * Starts an appointment's reminder workflow inside the booking's transaction (as requests start theirs): a 201 is
 * only sent for an appointment whose reminders run. Bounded, so an unreachable server is a prompt 503 and a
 * rolled-back booking, not a hung request.
 */
export async function startAppointmentWorkflow(
  client: Client,
  taskQueue: string,
  appointmentId: string,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(appointmentWorkflow, {
      taskQueue,
      workflowId: appointmentWorkflowId(appointmentId),
      args: [{ appointmentId }],
    }),
  );
}

/** What a backfill did: appointments looked at, workflows started, and ones already running (left as they were). */
export interface BackfillCounts {
  appointments: number;
  started: number;
  alreadyRunning: number;
}

/**
 * Starts the reminder workflow of each appointment that has none running (appointments booked before reminders
 * existed). Safe to run twice, or beside a live API: a running workflow refuses a second start with the same id,
 * which counts as already running. One at a time, so a backfill of thousands never floods the server.
 */
export async function backfillAppointmentWorkflows(
  client: Client,
  taskQueue: string,
  appointmentIds: readonly string[],
): Promise<BackfillCounts> {
  const counts: BackfillCounts = { appointments: appointmentIds.length, started: 0, alreadyRunning: 0 };
  for (const appointmentId of appointmentIds) {
    try {
      await startAppointmentWorkflow(client, taskQueue, appointmentId);
      counts.started++;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      counts.alreadyRunning++;
    }
  }
  return counts;
}
