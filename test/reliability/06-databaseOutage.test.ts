import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import type { TestResponse } from '../support/http';
import {
  aSubmission,
  aWorld,
  decide,
  decideAsIntended,
  emailFailures,
  emailProblems,
  expectFinalAsIntended,
  inPool,
  invariantViolations,
  useReliabilityStack,
  requestStatuses,
  sized,
  submit,
  submitUntilAnswered,
  verifyNewClient,
  waitFor,
  waitForFinal,
  type Submission,
} from './harness';

/** Issue item 3: PostgreSQL stopped under load; activities retry and finish after it returns, nothing half-written. */
describe('reliability: database outage (item 3)', function () {
  const stack = useReliabilityStack({ restore: true });

  it('PostgreSQL stopped under load: /readyz says so, activities retry and finish, every transaction all or nothing', async function () {
    const outageMs = sized(12_000, 30_000);
    const world = await aWorld(stack, { clinicians: 4 });
    const early: string[] = [];
    for (let i = 0; i < sized(12, 40); i++) {
      const res = await submit(stack, world, aSubmission(world));
      expect(res.status).to.equal(201);
      early.push(res.body.id as string);
    }
    await emailProblems(stack, early);

    // New clients whose addresses were verified before the outage, so the load meets it with requests rather
    // than waiting for code emails that the worker can only send once the database is back.
    const ready = Array.from({ length: sized(80, 240) }, () => aSubmission(world));
    await inPool(ready, 10, async (s) => {
      expect(await verifyNewClient(stack, world, s)).to.equal(null);
    });
    const submitted: { s: Submission; answers: TestResponse[] }[] = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: sized(3, 8) }, async () => {
        while (!stop) {
          const s = ready.pop() ?? aSubmission(world);
          const entry = { s, answers: [] as TestResponse[] };
          submitted.push(entry);
          const first = await submit(stack, world, s);
          entry.answers.push(first);
          if (first.status === 201) continue;
          entry.answers.push(...(await submitUntilAnswered(stack, world, s, 120_000)));
        }
      }),
    );
    // Approvals in flight as the database goes: their activities meet the outage mid-way.
    const decisions = Promise.all(early.map((id) => decide(stack, world, id, 'approve', 240_000)));
    await sleep(150);
    const mark = stack.logs.mark();
    await stack.pg.stop();
    const readyz: TestResponse[] = [];
    const until = Date.now() + outageMs;
    while (Date.now() < until) {
      readyz.push(await stack.http.get('/readyz'));
      await sleep(1_000);
    }
    await stack.pg.start();
    const recoveredIn = Date.now();
    await waitFor(
      '/readyz to say ready again',
      async () => (await stack.http.get('/readyz')).status === 200,
      {
        timeoutMs: 60_000,
      },
    );
    const readyAfterMs = Date.now() - recoveredIn;
    await sleep(sized(3_000, 8_000));
    stop = true;
    await load;
    const decided = await decisions;
    const activityFailures = stack.logs
      .since(mark, 'worker')
      .filter((l) => l.includes('"msg":"Activity failed"') && l.includes('Sequelize'));
    expect(
      activityFailures.length,
      'activities met the outage (and, below, finished after it)',
    ).to.be.greaterThan(0);

    expect(readyz.length).to.be.greaterThan(0);
    for (const r of readyz) {
      expect(r.status).to.equal(503);
      expect(r.body.checks.database).to.equal('unreachable');
      expect(r.headers.get('retry-after')).to.equal('5');
    }
    for (const d of decided) {
      if (d.status !== 200) expect(d.body.code, JSON.stringify(d.body)).to.equal('REQUEST_NOT_PENDING');
    }
    const answers = submitted.flatMap((e) => e.answers);
    // While PostgreSQL is away the API says so (503, Retry-After) and the portal retries with the same key.
    expect(
      answers
        .filter((a) => a.status !== 201 && a.status !== 503)
        .map((a) => `${a.status} ${JSON.stringify(a.body)}`),
    ).to.deep.equal([]);
    expect(
      answers.filter((a) => a.status === 503).length,
      'the API said 503 while PostgreSQL was down',
    ).to.be.greaterThan(0);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(Number(a.headers.get('retry-after'))).to.be.greaterThan(0);
    }

    // Acknowledged requests are recorded; rows nobody was told about come only from answers lost in the outage.
    const acknowledged = new Map<string, string>();
    for (const { s, answers: a } of submitted) {
      const ok = a.find((x) => x.status === 201);
      if (ok) acknowledged.set(s.key, ok.body.id as string);
    }
    const rows = await stack.db.sequelize.query<{ id: string; idempotency_key: string }>(
      'SELECT id, idempotency_key FROM appointment_requests WHERE practice_id = :p',
      { replacements: { p: world.practice.id }, type: QueryTypes.SELECT },
    );
    const ids = rows.map((r) => r.id);
    for (const id of acknowledged.values()) expect(ids, 'every 201 is recorded').to.include(id);
    expect(await invariantViolations(stack.db), 'no half-written transaction').to.deep.equal([]);

    const later = ids.filter((id) => !early.includes(id));
    const intended = new Map<string, string>(early.map((id) => [id, 'approved']));
    later.forEach((id, i) => intended.set(id, i % 2 ? 'declined' : 'approved'));
    await decideAsIntended(stack, world, later, intended);
    await expectFinalAsIntended(stack, ids, intended);
    const tally = [...new Set(answers.map((a) => a.status))]
      .sort()
      .map((st) => `${st}x${answers.filter((a) => a.status === st).length}`)
      .join(' ');
    this.test!.title += ` (${outageMs / 1000} s down; ${early.length} approvals in flight; ${acknowledged.size} acknowledged, all final; submission answers ${tally}; ready ${readyAfterMs} ms after restart; ${activityFailures.length} activity attempts failed on the outage)`;
  });

  it('an approval stalled past its activity timeout (a lock held 36 s) commits late; the retry finds it done and the request completes', async function () {
    const world = await aWorld(stack);
    const res = await submit(stack, world, aSubmission(world));
    expect(res.status).to.equal(201);
    const id = res.body.id as string;
    await emailProblems(stack, [id]);
    // A stuck transaction holds the clinician's schedule lock past the approval activity's 30 s timeout: the
    // first attempt waits on it, Temporal times it out and starts a second, and both go on when it is released.
    const stuck = await stack.db.sequelize.transaction();
    await stack.db.sequelize.query('SELECT id FROM staff_users WHERE id = :c FOR UPDATE', {
      replacements: { c: world.clinicians[0].id },
      transaction: stuck,
    });
    const decision = decide(stack, world, id, 'approve', 120_000);
    await sleep(36_000);
    await stuck.rollback();
    const answer = await decision;
    expect(
      answer.status === 200 || answer.body.code === 'REQUEST_NOT_PENDING',
      JSON.stringify(answer.body),
    ).to.equal(true);
    await waitForFinal(stack, [id], 90_000);
    expect((await requestStatuses(stack.db, [id])).get(id)).to.equal('approved');
    expect((await emailProblems(stack, [id])).problems).to.deep.equal([]);
    expect(await emailFailures(stack, id)).to.deep.equal([]);
    const runs = stack.logs
      .since(0, 'worker')
      .filter((l) => l.includes('"msg":"approval"') && l.includes(id));
    expect(runs.length, 'the timed-out attempt and its retry both ran').to.be.at.least(2);
  });
});
