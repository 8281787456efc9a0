import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import type { TestResponse } from '../support/http';
import {
  aSubmission,
  aWorld,
  decideAsIntended,
  expectFinalAsIntended,
  useReliabilityStack,
  sized,
  submitUntilAnswered,
  type Submission,
} from './harness';

/** Issue item 2: the Temporal dev server (on its SQLite file) stopped and started in the middle of the load. */
describe('reliability: Temporal server restart (item 2)', function () {
  const stack = useReliabilityStack({ restore: true });

  it('killed and restarted under load: 503 with Retry-After while down, never a 5xx otherwise, every 201 kept to a final status', async function () {
    const world = await aWorld(stack, { clinicians: 4 });
    const outages = sized(
      [{ signal: 'SIGKILL' as const, downMs: 10_000 }],
      [
        { signal: 'SIGKILL' as const, downMs: 30_000 },
        { signal: 'SIGTERM' as const, downMs: 20_000 },
      ],
    );
    const submitted: { s: Submission; answers: TestResponse[] }[] = [];
    const readyz: TestResponse[] = [];
    let stop = false;
    /** One submission, retried until answered as a client would, recorded with every answer it got. */
    const submitOne = async () => {
      const s = aSubmission(world);
      const entry = { s, answers: [] as TestResponse[] };
      submitted.push(entry);
      entry.answers.push(...(await submitUntilAnswered(stack, world, s, 120_000)));
    };
    // Submissions that begin while the server is down, so the outage meets requests however slow the machine is.
    const duringOutage: Promise<void>[] = [];
    const load = Promise.all(
      Array.from({ length: sized(4, 10) }, async () => {
        while (!stop) await submitOne();
      }),
    );
    await sleep(sized(3_000, 8_000));
    for (const outage of outages) {
      await stack.temporalServer.kill(outage.signal);
      const until = Date.now() + outage.downMs;
      while (Date.now() < until) {
        duringOutage.push(submitOne());
        readyz.push(await stack.http.get('/readyz'));
        await sleep(1_000);
      }
      await stack.startTemporal();
      await sleep(sized(4_000, 10_000));
    }
    stop = true;
    await Promise.all([load, ...duringOutage]);
    expect(stack.worker.running, 'the worker outlived the outage').to.equal(true);

    const answers = submitted.flatMap((e) => e.answers);
    const tally = (list: TestResponse[]) =>
      [...new Set(list.map((a) => a.status))]
        .sort()
        .map((s) => `${s}x${list.filter((a) => a.status === s).length}`);
    expect(
      answers
        .filter((a) => a.status !== 201 && a.status !== 503)
        .map((a) => `${a.status} ${JSON.stringify(a.body)}`),
    ).to.deep.equal([]);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(Number(a.headers.get('retry-after')), 'Retry-After on every 503').to.be.greaterThan(0);
      expect(a.body.code).to.equal('SERVICE_UNAVAILABLE');
    }
    expect(
      answers.filter((a) => a.status === 503).length,
      'the API said 503 while Temporal was down',
    ).to.be.greaterThan(0);
    expect(readyz.length).to.be.greaterThan(0);
    for (const r of readyz) {
      expect(r.status).to.equal(503);
      expect(r.body.checks.temporal).to.equal('unreachable');
      expect(r.headers.get('retry-after')).to.equal('5');
    }

    // Acknowledged: the last answer is a 201. Nothing else may have been recorded.
    const acknowledged = new Map<string, string>();
    for (const { s, answers: a } of submitted) {
      const last = a.at(-1);
      if (last?.status === 201) acknowledged.set(s.key, last.body.id as string);
    }
    const rows = await stack.db.sequelize.query<{ id: string; idempotency_key: string }>(
      'SELECT id, idempotency_key FROM appointment_requests WHERE practice_id = :p',
      { replacements: { p: world.practice.id }, type: QueryTypes.SELECT },
    );
    const recordedOnly = rows.filter((r) => acknowledged.get(r.idempotency_key) !== r.id).map((r) => r.id);
    expect(
      recordedOnly,
      'rows nobody was told about (each reaches a final status below all the same)',
    ).to.have.length.at.most(submitted.filter((e) => e.answers.at(-1)?.status !== 201).length);
    const ids = rows.map((r) => r.id);
    for (const id of acknowledged.values()) expect(ids, 'every 201 is recorded').to.include(id);

    const intended = new Map(ids.map((id, i) => [id, i % 2 ? 'declined' : 'approved'] as const));
    await decideAsIntended(stack, world, ids, intended);
    await expectFinalAsIntended(stack, ids, intended);
    this.test!.title += ` (${outages.length} restart(s); ${acknowledged.size} acknowledged, all final; answers ${tally(answers).join(' ')}; /readyz 503 x${readyz.length})`;
  });
});
