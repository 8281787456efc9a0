import { expect } from 'chai';
import { passwordResetEmailWorkflow } from '../../workflows/passwordResetEmail';
import { passwordResetEmailWorkflowId } from '../../temporal/passwordResetEmails';
import { requestPasswordReset } from '../../booking/passwordReset';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aPractice, aStaffUser } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';

describe('passwordResetEmailWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  async function run(id: string, now = NOW) {
    const worker = await tb.worker(now);
    return worker.runUntil(
      tb.env.client.workflow.execute(passwordResetEmailWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: passwordResetEmailWorkflowId(id),
        args: [{ id }],
      }),
    );
  }

  it('delivers the link exactly once through a provider outage, and keeps link and address out of history', async () => {
    const practice = await aPractice(tb.db, { name: 'Harbor Counseling' });
    const user = await aStaffUser(tb.db, practice, { firstName: 'Maya' });
    const id = await requestPasswordReset(tb.db, tb.codes, { email: user.email, now: new Date(NOW) });
    tb.capture.failNext(6, 503);
    tb.capture.failNext(2, 'network');
    expect(await run(id)).to.equal('sent');
    const delivered = tb.capture.deliveries();
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ idempotencyKey: `password-reset/${id}` });
    expect(delivered[0].to).to.deep.equal([user.email]);
    const token = tb.codes.linkToken('password-reset', id);
    expect(delivered[0].text).to.include(`/app/reset-password?token=${token}`);
    const history = JSON.stringify(
      await tb.env.client.workflow.getHandle(passwordResetEmailWorkflowId(id)).fetchHistory(),
    );
    for (const secret of [token, user.email, user.lastName])
      expect(history, 'workflow history').to.not.include(secret);
  });

  it('sends nothing for an unknown address, a replaced link, or a link past its hour', async () => {
    const practice = await aPractice(tb.db);
    const user = await aStaffUser(tb.db, practice);
    const unknown = await requestPasswordReset(tb.db, tb.codes, {
      email: 'nobody@example.test',
      now: new Date(NOW),
    });
    expect(await run(unknown)).to.equal('skipped');
    const replaced = await requestPasswordReset(tb.db, tb.codes, { email: user.email, now: new Date(NOW) });
    const newest = await requestPasswordReset(tb.db, tb.codes, { email: user.email, now: new Date(NOW) });
    expect(await run(replaced)).to.equal('skipped');
    expect(await run(newest, '2026-06-01T13:00:01Z')).to.equal('skipped');
    expect(tb.capture.deliveries()).to.have.length(0);
  });
});
