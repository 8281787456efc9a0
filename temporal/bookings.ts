import type { Client } from '@temporalio/client';
import type { BookingConfirmationInput } from '../booking/staffBooking';
import { bookingConfirmationWorkflow } from '../workflows/bookingConfirmation';

/** Workflow id of a staff booking's confirmation: from the appointment id only, never from personal data. */
export const bookingConfirmationWorkflowId = (appointmentId: string) => `appointment-booked-${appointmentId}`;

/**
 * Starts the confirmation workflow of an appointment staff booked, inside the booking's transaction. Bounded like
 * a request's start, so an unreachable server is a prompt 503 (and a rolled-back booking), not a hung request.
 */
export async function startBookingConfirmation(
  client: Client,
  taskQueue: string,
  input: BookingConfirmationInput,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(bookingConfirmationWorkflow, {
      taskQueue,
      workflowId: bookingConfirmationWorkflowId(input.appointmentId),
      args: [input],
    }),
  );
}
