import type { Client } from '@temporalio/client';
import { appointmentWorkflowId } from '../booking/rules/reminders';
import { appointmentChangedSignal, appointmentWorkflow } from '../workflows/appointment';

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

/**
 * Wakes an appointment's workflow after its move or cancelation committed, starting it when none runs (an
 * appointment from before reminders). Only a wake-up: if it is lost, the send-time re-check and the daily re-plan
 * still do the right thing.
 */
export async function signalAppointmentChanged(
  client: Client,
  taskQueue: string,
  appointmentId: string,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.signalWithStart(appointmentWorkflow, {
      taskQueue,
      workflowId: appointmentWorkflowId(appointmentId),
      args: [{ appointmentId }],
      signal: appointmentChangedSignal,
      signalArgs: [],
    }),
  );
}
