import type { Client } from '@temporalio/client';
import type { PasswordResetEmailInput } from '../booking/passwordResetEmail';
import { passwordResetEmailWorkflow } from '../workflows/passwordResetEmail';

/** Workflow id of a reset email: derived from the reset row's id only, never from the address. */
export const passwordResetEmailWorkflowId = (id: string) => `password-reset-email-${id}`;

/**
 * Starts the workflow that emails a reset link. The API answers 202 only once this has returned (for every
 * address, known or not: the same work either way); from then on Temporal retries the send through an outage.
 */
export async function startPasswordResetEmail(
  client: Client,
  taskQueue: string,
  input: PasswordResetEmailInput,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(passwordResetEmailWorkflow, {
      taskQueue,
      workflowId: passwordResetEmailWorkflowId(input.id),
      args: [input],
    }),
  );
}
