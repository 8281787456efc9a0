import { expect } from 'chai';
import type { WorkflowHandle } from '@temporalio/client';
import {
  staffInvitationClosedSignal,
  staffInvitationWorkflow,
  getStaffInvitationStatusQuery,
} from '../../workflows/staffInvitation';
import { staffInvitationWorkflowId } from '../../temporal/staffInvitations';
import {
  createStaffInvitation,
  acceptStaffInvitation,
  revokeStaffInvitation,
} from '../../booking/staffInvitations';
import { linkTokenHash } from '../../booking/oneTimeCodes';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aPractice, aStaffUser } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const DAY = 86_400_000;

describe('staffInvitationWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  /** An invitation as POST /api/staff/invitations records it, and its workflow started on the test server. */
  async function invite(email = `new-${Math.random().toString(36).slice(2, 8)}@example.test`) {
    const practice = await aPractice(tb.db, { name: 'Harbor Counseling', timeZone: 'America/New_York' });
    const admin = await aStaffUser(tb.db, practice, {
      role: 'admin_clinician',
      firstName: 'Maya',
      lastName: 'Chen',
    });
    let handle: WorkflowHandle<typeof staffInvitationWorkflow> | undefined;
    const invitation = await createStaffInvitation(
      tb.db,
      {
        practiceId: practice.id,
        email,
        firstName: 'Jordan',
        lastName: 'Rivera',
        role: 'clinician',
        invitedBy: admin,
        now: new Date(NOW),
        codes: tb.codes,
      },
      async (invitationId) => {
        handle = await tb.env.client.workflow.start(staffInvitationWorkflow, {
          taskQueue: tb.taskQueue,
          workflowId: staffInvitationWorkflowId(invitationId),
          args: [{ invitationId }],
        });
      },
    );
    return { practice, admin, invitation, handle: handle!, email };
  }

  /** Runs the worker until the workflow has emailed the invitation (the test server skips no time while waiting). */
  async function untilSent(handle: WorkflowHandle<typeof staffInvitationWorkflow>) {
    for (let i = 0; i < 200; i++) {
      if ((await handle.query(getStaffInvitationStatusQuery)).sent) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('invitation was never sent');
  }

  it('emails the link with its token (only a hash stored), reminds once after 3 days, expires after 7', async () => {
    const { invitation, handle, email } = await invite();
    const worker = await tb.worker(NOW);
    const outcome = await worker.runUntil(async () => {
      await untilSent(handle);
      const first = tb.capture.deliveries();
      expect(first).to.have.length(1);
      expect(first[0].to).to.deep.equal([email]);
      expect(first[0].subject).to.equal('Maya Chen invited you to Harbor Counseling');
      expect(first[0].idempotencyKey).to.equal(`staff-invitation/${invitation.id}/invitation`);
      const token = tb.codes.linkToken('staff-invitation', invitation.id);
      expect(first[0].text).to.include(`http://portal.test/app/accept-invitation?token=${token}`);
      expect(invitation.tokenHash).to.equal(linkTokenHash(token)).and.not.equal(token);

      await tb.env.sleep(3 * DAY - 60_000);
      expect(tb.capture.deliveries(), 'before 3 days').to.have.length(1);
      await tb.env.sleep(2 * 60_000);
      await waitFor(() => tb.capture.deliveries().length === 2);
      const reminder = tb.capture.deliveries()[1];
      expect(reminder.subject).to.equal('Reminder: your invitation to Harbor Counseling');
      expect(reminder.idempotencyKey).to.equal(`staff-invitation/${invitation.id}/reminder`);

      await tb.env.sleep(4 * DAY);
      return handle.result();
    });
    expect(outcome).to.equal('expired');
    expect(tb.capture.deliveries(), 'one invitation and one reminder only').to.have.length(2);
    await invitation.reload();
    expect(invitation.expiredAt).to.be.instanceOf(Date);
    expect(invitation.remindedAt).to.be.instanceOf(Date);
    const history = JSON.stringify(await handle.fetchHistory());
    for (const secret of [email, 'Jordan', 'Rivera', tb.codes.linkToken('staff-invitation', invitation.id)])
      expect(history, 'workflow history').to.not.include(secret);
  });

  it('a revoked invitation ends its workflow at once: no reminder, no expiry mark', async () => {
    const { admin, invitation, handle } = await invite();
    const worker = await tb.worker(NOW);
    const outcome = await worker.runUntil(async () => {
      await untilSent(handle);
      await revokeStaffInvitation(tb.db, { actor: admin, invitationId: invitation.id, now: new Date(NOW) });
      await handle.signal(staffInvitationClosedSignal, { reason: 'revoked' });
      return handle.result();
    });
    expect(outcome).to.equal('revoked');
    expect(tb.capture.deliveries()).to.have.length(1);
    await invitation.reload();
    expect(invitation.revokedAt).to.be.instanceOf(Date);
    expect(invitation.expiredAt).to.equal(null);
  });

  it('an accepted invitation ends its workflow: no reminder after 3 days', async () => {
    const { invitation, handle } = await invite();
    const worker = await tb.worker(NOW);
    const outcome = await worker.runUntil(async () => {
      await untilSent(handle);
      await acceptStaffInvitation(tb.db, {
        token: tb.codes.linkToken('staff-invitation', invitation.id),
        password: 'a long enough password',
        now: new Date(NOW),
      });
      await handle.signal(staffInvitationClosedSignal, { reason: 'accepted' });
      return handle.result();
    });
    expect(outcome).to.equal('accepted');
    expect(tb.capture.deliveries()).to.have.length(1);
  });

  it('without the signal, an invitation revoked in the database gets no reminder: the step reads the row first', async () => {
    const { admin, invitation, handle } = await invite();
    const worker = await tb.worker(NOW);
    const outcome = await worker.runUntil(async () => {
      await untilSent(handle);
      await revokeStaffInvitation(tb.db, { actor: admin, invitationId: invitation.id, now: new Date(NOW) });
      await tb.env.sleep(3 * DAY + 60_000);
      return handle.result();
    });
    expect(outcome).to.equal('revoked');
    expect(tb.capture.deliveries()).to.have.length(1);
  });

  it('an invitation whose transaction rolled back sends nothing and ends abandoned', async () => {
    const practice = await aPractice(tb.db);
    const invitationId = '00000000-0000-4000-8000-000000000001';
    const worker = await tb.worker(NOW);
    const outcome = await worker.runUntil(
      tb.env.client.workflow.execute(staffInvitationWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: staffInvitationWorkflowId(`${invitationId}-${practice.id}`),
        args: [{ invitationId }],
      }),
    );
    expect(outcome).to.equal('abandoned');
    expect(tb.capture.attempts()).to.equal(0);
  });
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
