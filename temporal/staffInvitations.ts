import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { staffSignupNoticeWorkflow } from '../workflows/staffSignupNotice';
import { staffInvitationClosedSignal, staffInvitationWorkflow } from '../workflows/staffInvitation';

/** Workflow id of a staff invitation: its row id only, never the address. */
export const staffInvitationWorkflowId = (invitationId: string) => `staff-invitation-${invitationId}`;

/**
 * Starts the invitation's workflow; called inside the invitation's transaction, so the API answers 201 only for an
 * invitation that is both recorded and durably on its way. Bounded, so an unreachable server is a prompt 503.
 */
export async function startStaffInvitation(
  client: Client,
  taskQueue: string,
  invitationId: string,
  timeoutMs = 5_000,
): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflow.start(staffInvitationWorkflow, {
      taskQueue,
      workflowId: staffInvitationWorkflowId(invitationId),
      args: [{ invitationId }],
    }),
  );
}

/**
 * Tells the invitation's workflow it was accepted or revoked, so it ends now. The database already says so and
 * every email step reads it first, so a signal that cannot be delivered (a finished workflow, an outage) only
 * leaves a timer running that will send nothing.
 */
export async function signalStaffInvitationClosed(
  client: Client,
  invitationId: string,
  reason: 'accepted' | 'revoked',
): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + 5_000, () =>
      client.workflow
        .getHandle(staffInvitationWorkflowId(invitationId))
        .signal(staffInvitationClosedSignal, { reason }),
    );
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    return false;
  }
}

/**
 * Starts the email telling a staff member that a sign-up used their address. One per user per UTC day (the id says
 * so and a duplicate start is refused), so the public sign-up form cannot be used to flood anyone's inbox.
 */
export async function startStaffSignupNotice(
  client: Client,
  taskQueue: string,
  userId: string,
  now: Date,
  timeoutMs = 5_000,
): Promise<void> {
  const noticeId = `${userId}-${now.toISOString().slice(0, 10)}`;
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.start(staffSignupNoticeWorkflow, {
        taskQueue,
        workflowId: `staff-signup-notice-${noticeId}`,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ userId, noticeId }],
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
