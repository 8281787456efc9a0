import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type { PortalEmailInput } from '../../booking/portalEmail';
import { portalEmailWorkflow } from '../../workflows/portalEmail';
import { portalEmailWorkflowId } from '../../temporal/portalEmails';
import { issueEmailVerification } from '../../booking/emailVerification';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aPractice } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';

describe('portalEmailWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  /** A sign-in code row as POST /portal/:slug/auth/code writes it (client null: an address that is no client's). */
  async function signInCodeRow(clientId: string | null): Promise<string> {
    const [row] = await tb.db.sequelize.query<{ id: string }>(
      `INSERT INTO client_sign_in_codes (client_id, created_at, expires_at)
       VALUES (:clientId, :now, :now::timestamptz + interval '10 minutes') RETURNING id`,
      { replacements: { clientId, now: NOW }, type: QueryTypes.SELECT },
    );
    return row.id;
  }

  async function run(input: PortalEmailInput) {
    const worker = await tb.worker(NOW);
    return worker.runUntil(
      tb.env.client.workflow.execute(portalEmailWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: portalEmailWorkflowId(input.id),
        args: [input],
      }),
    );
  }

  it('delivers a sign-in code exactly once through a provider outage of minutes, and keeps it out of history', async () => {
    const practice = await aPractice(tb.db, { name: 'Harbor Counseling' });
    const client = await aClient(tb.db, practice);
    const id = await signInCodeRow(client.id);
    tb.capture.failNext(6, 503);
    tb.capture.failNext(2, 429);
    tb.capture.failNext(2, 'network');
    expect(await run({ kind: 'sign-in-code', id })).to.equal('sent');
    expect(tb.capture.attempts()).to.equal(11);
    const delivered = tb.capture.deliveries();
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ idempotencyKey: `sign-in-code/${id}` });
    expect(delivered[0].to).to.deep.equal([client.email]);
    const code = tb.codes.codeFor('sign-in-code', id);
    expect(delivered[0].text).to.match(new RegExp(`^\\s*${code}\\s*$`, 'm'));
    const history = JSON.stringify(
      await tb.env.client.workflow.getHandle(portalEmailWorkflowId(id)).fetchHistory(),
    );
    for (const secret of [code, client.email, client.lastName])
      expect(history, 'workflow history').to.not.include(secret);
  });

  it('delivers an email-verification code once through an outage, under its own key', async () => {
    const practice = await aPractice(tb.db, { name: 'Harbor Counseling' });
    const id = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email: 'New.Person@Example.test',
      now: new Date(NOW),
    });
    tb.capture.failNext(5, 500);
    expect(await run({ kind: 'email-verification', id })).to.equal('sent');
    const delivered = tb.capture.deliveries();
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ idempotencyKey: `email-verification/${id}` });
    expect(delivered[0].to).to.deep.equal(['new.person@example.test']);
    expect(delivered[0].subject).to.equal('Confirm your email for Harbor Counseling');
    expect(delivered[0].text).to.include(tb.codes.codeFor('email-verification', id));
  });

  it("sends nothing for an address that is no client's, nor for a code already replaced", async () => {
    const practice = await aPractice(tb.db);
    expect(await run({ kind: 'sign-in-code', id: await signInCodeRow(null) })).to.equal('skipped');
    const old = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email: 'twice@example.test',
      now: new Date(NOW),
    });
    await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email: 'twice@example.test',
      now: new Date(NOW),
    });
    expect(await run({ kind: 'email-verification', id: old })).to.equal('skipped');
    expect(tb.capture.attempts()).to.equal(0);
  });

  it('a provider refusal (422) is tried once and reported, not retried', async () => {
    const practice = await aPractice(tb.db);
    const client = await aClient(tb.db, practice);
    tb.capture.rejectNext(1);
    expect(await run({ kind: 'sign-in-code', id: await signInCodeRow(client.id) })).to.equal('rejected');
    expect(tb.capture.attempts()).to.equal(1);
  });
});
