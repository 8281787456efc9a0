import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  aSubmission,
  aWorld,
  decide,
  emailFailures,
  emailProblems,
  useReliabilityStack,
  sized,
  submit,
  verifyNewClient,
  waitFor,
  waitForFinal,
} from './harness';

/** Issue item 4: the email provider answers 500, 429 and drops connections for a while, then recovers; and a 422. */
describe('reliability: email provider faults (item 4)', function () {
  const stack = useReliabilityStack({ invariants: true });

  it('500s, 429s and dropped connections, then recovery: every email delivered exactly once, no failure shown', async function () {
    const world = await aWorld(stack, { clinicians: 2 });
    const requests = sized(8, 40);
    // Fewer faults than emails in each wave, so no single email meets more than one or two in a row (the retry
    // interval doubles from 2 s: a long streak on one email would only test the patience of the suite).
    const faults = { 500: sized(6, 30), 429: sized(5, 25), network: sized(2, 10) };
    // Addresses verified before the faults, so the faults meet the request emails.
    const submissions = Array.from({ length: requests }, () => aSubmission(world));
    for (const s of submissions) expect(await verifyNewClient(stack, world, s)).to.equal(null);
    const attemptsBefore = stack.capture.attempts();
    stack.capture.failNext(faults[500], 500);
    stack.capture.failNext(faults[429], 429);
    stack.capture.failNext(faults.network, 'network');
    const ids: string[] = [];
    for (const s of submissions) {
      const res = await submit(stack, world, s);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(res.body.id as string);
    }
    // More faults while the outcome emails go out.
    stack.capture.failNext(faults[500], 500);
    const decisions = await Promise.all(
      ids.map((id, i) => decide(stack, world, id, i % 2 ? 'decline' : 'approve')),
    );
    expect(decisions.map((d) => d.status)).to.deep.equal(Array(requests).fill(200));
    await waitForFinal(stack, ids);
    const { problems } = await emailProblems(stack, ids, 240_000);
    expect(problems).to.deep.equal([]);
    const injected = 2 * faults[500] + faults[429] + faults.network;
    const delivered = stack.capture
      .deliveries()
      .filter((e) => ids.some((id) => e.idempotencyKey?.endsWith(id)));
    expect(delivered).to.have.length(requests * 3);
    expect(
      stack.capture.attempts() - attemptsBefore,
      'every injected fault was hit and retried',
    ).to.be.at.least(delivered.length + injected);
    for (const id of ids) expect(await emailFailures(stack, id), id).to.deep.equal([]);
    this.test!.title += ` (${requests} requests, ${injected} faults injected, ${delivered.length} emails)`;
  });

  it('a 422 validation error is not retried and is visible: the workflow lists it and the worker logs it', async () => {
    const world = await aWorld(stack);
    const s = aSubmission(world);
    expect(await verifyNewClient(stack, world, s)).to.equal(null);
    const mark = stack.logs.mark();
    const attemptsBefore = stack.capture.attempts();
    stack.capture.rejectNext(1);
    const res = await submit(stack, world, s);
    expect(res.status).to.equal(201);
    const id = res.body.id as string;
    const failures = await waitFor('the refused email to show in the workflow', async () => {
      const list = await emailFailures(stack, id);
      return list.length ? list : null;
    });
    expect(failures).to.have.length(1);
    expect(failures[0]).to.match(/refused by the provider: Resend 422 validation_error/);
    const refusedKey = failures[0].startsWith('clinician notified')
      ? `request-new/${id}`
      : `request-received/${id}`;
    // Twice the first retry interval (2 s): a retry would have happened by now.
    await sleep(5_000);
    const keys = stack.capture.deliveries().map((e) => e.idempotencyKey);
    expect(keys).to.not.include(refusedKey);
    expect(stack.capture.attempts() - attemptsBefore, 'one refused attempt, one delivery, no retry').to.equal(
      2,
    );
    const logged = stack.logs.since(mark, 'worker').filter((l) => l.includes('email rejected'));
    expect(
      logged.some((l) => l.includes(refusedKey)),
      'the worker logs the refusal with its key',
    ).to.equal(true);
    expect((await decide(stack, world, id, 'decline')).status).to.equal(200);
    await waitForFinal(stack, [id]);
    expect(await emailFailures(stack, id)).to.have.length(1);
  });
});
