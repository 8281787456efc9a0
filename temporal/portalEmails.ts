import type { Client } from '@temporalio/client';
import type { PortalEmailInput } from '../booking/portalEmail';
import { portalEmailWorkflow } from '../workflows/portalEmail';

/** Workflow id of a portal code email: derived from the code row's id only, never from the address. */
export const portalEmailWorkflowId = (id: string) => `portal-email-${id}`;

/**
 * Starts the workflow that emails a portal code. The API answers 202 only once this has returned: from then on
 * Temporal retries the send through a provider outage. Bounded like a request's start, so an unreachable server
 * is a prompt 503, not a hung request.
 */
export async function startPortalEmail(
  client: Client,
  taskQueue: string,
  input: PortalEmailInput,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(portalEmailWorkflow, {
      taskQueue,
      workflowId: portalEmailWorkflowId(input.id),
      args: [input],
    }),
  );
}
