import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import {
  aSubmission,
  aWorld,
  decide,
  expectFinalAsIntended,
  inPool,
  useReliabilityStack,
  sized,
  submitUntilAnswered,
} from './harness';

/** Issue item 1: requests in flight at every step while the worker is killed -9 three times. */
describe('reliability: worker crash (item 1)', function () {
  const stack = useReliabilityStack({ restore: true });

  it('kill -9 of the worker three times with requests in flight: every request final, every email exactly once, no duplicate rows', async function () {
    const world = await aWorld(stack, { clinicians: 4 });
    const total = sized(60, 200);
    const kills: string[] = [];
    const restart = async (why: string) => {
      kills.push(why);
      // A moment with no worker at all, as when a host dies, before the supervisor brings it back.
      await sleep(Math.random() * 1_500);
      await stack.startWorker();
    };

    // Kill 1: at a random moment while submissions pour in (workflows are recording, emailing, ringing bells).
    const ids: string[] = [];
    const firstKillAt = Math.floor(total * (0.3 + Math.random() * 0.4));
    let firstKill: Promise<void> = Promise.resolve();
    await inPool(
      Array.from({ length: total }, () => aSubmission(world)),
      8,
      async (submission, i) => {
        if (i === firstKillAt) {
          firstKill = stack.worker.kill('SIGKILL').then(() => restart(`during submissions, after ${i}`));
        }
        const answers = await submitUntilAnswered(stack, world, submission, 60_000);
        const last = answers.at(-1)!;
        expect(last.status, JSON.stringify(last.body)).to.equal(201);
        ids.push(last.body.id as string);
      },
    );
    await firstKill;

    // Kill 2: the instant the first confirmation email reaches the provider, before the worker hears back, so the
    // send activity is retried by the next worker. Kill 3: later in the decisions, the instant the worker logs a
    // committed approval, which is the moment before Temporal hears of it (when the kill is fast enough, the
    // approval activity runs again on the next worker and must find its own work done).
    const intended = new Map(ids.map((id, i) => [id, i % 3 === 2 ? 'declined' : 'approved'] as const));
    let secondKill: Promise<void> = Promise.resolve();
    const confirmationSeen = stack.capture
      .waitFor(
        (e) =>
          e.idempotencyKey?.startsWith('request-approved/') === true &&
          intended.has(e.idempotencyKey.split('/')[1]),
        120_000,
      )
      .then((email) => {
        secondKill = stack.worker
          .kill('SIGKILL')
          .then(() => restart(`on the delivery of ${email.idempotencyKey}`));
      });
    const thirdKillAt = Math.floor(total * (0.6 + Math.random() * 0.3));
    let thirdKill: Promise<void> = Promise.resolve();
    const answers = new Map<string, number>();
    await inPool(ids, 6, async (id, i) => {
      if (i === thirdKillAt) {
        await confirmationSeen;
        await secondKill;
        thirdKill = stack.logs
          .once(
            'worker',
            (l) => l.includes('"msg":"approval"') && l.includes('"ok":true'),
            () => stack.worker.killNow(),
          )
          .then((line) => restart(`on the commit of approval ${/"requestId":"([^"]+)"/.exec(line)?.[1]}`));
      }
      const res = await decide(stack, world, id, intended.get(id) === 'approved' ? 'approve' : 'decline');
      answers.set(id, res.status);
      // A decision that outlived the API's wait (503) and was retried may find its first attempt already applied.
      if (res.status !== 200)
        expect(res.body.code, `${id}: ${JSON.stringify(res.body)}`).to.equal('REQUEST_NOT_PENDING');
    });
    await Promise.all([confirmationSeen, secondKill, thirdKill]);
    expect(kills, 'three kills').to.have.length(3);

    const { replays } = await expectFinalAsIntended(stack, ids, intended, 300_000);
    const approved = ids.filter((id) => intended.get(id) === 'approved').length;
    const [row] = await stack.db.sequelize.query<{ appointments: string; clients: string; bells: string }>(
      `SELECT (SELECT count(*) FROM appointments WHERE practice_id = :p) AS appointments,
              (SELECT count(*) FROM clients WHERE practice_id = :p) AS clients,
              (SELECT count(*) FROM notifications n JOIN appointment_requests r ON r.id = n.request_id
                WHERE r.practice_id = :p) AS bells`,
      { replacements: { p: world.practice.id }, type: QueryTypes.SELECT },
    );
    expect(row, 'one appointment and one client per approval, one bell per request').to.deep.equal({
      appointments: String(approved),
      clients: String(approved),
      bells: String(total),
    });
    const retried = [...answers.values()].filter((s) => s !== 200).length;
    const approvalRuns = new Map<string, number>();
    for (const line of stack.logs.since(0, 'worker')) {
      const id = line.includes('"msg":"approval"') ? /"requestId":"([^"]+)"/.exec(line)?.[1] : undefined;
      if (id && intended.has(id)) approvalRuns.set(id, (approvalRuns.get(id) ?? 0) + 1);
    }
    const approvalsRunTwice = [...approvalRuns.values()].filter((n) => n > 1).length;
    this.test!.title += ` (${total} requests; kills: ${kills.join('; ')}; ${replays} sends replayed by key; ${retried} decisions answered 409 after a retry; ${approvalsRunTwice} approvals run twice)`;
  });
});
