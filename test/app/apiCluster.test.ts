import http from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import {
  aWorld,
  startLocalStack,
  visitorAddress,
  waitFor,
  type Stack,
  type World,
} from '../reliability/harness';

const DAY_MS = 86_400_000;
const PROCESSES = 2;
const PER_MINUTE = 5;

/** A GET on a connection of its own: the cluster's primary hands each new connection to the next process in turn. */
function ask(url: string, address: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { 'x-forwarded-for': address } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null }),
      );
    });
    req.on('error', reject);
    // A connection the primary handed to a process at the instant it died is never answered: fail, don't hang.
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
  });
}

/** The API processes a primary forked (tsx's esbuild service is a child too). */
const apiChildren = (pid: number) =>
  childrenOf(pid).filter((c) => {
    try {
      return readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('app/api.ts');
    } catch {
      return false;
    }
  });

/** The pids of a process's children. */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe(`API_PROCESSES=${PROCESSES}: one port, several processes`, function () {
  this.timeout(240_000);
  let stack: Stack;
  let world: World;

  before(async () => {
    stack = await startLocalStack({
      worker: false,
      env: { API_PROCESSES: String(PROCESSES), AVAILABILITY_PER_MINUTE: String(PER_MINUTE) },
    });
    await waitFor(
      `${PROCESSES} API processes listening`,
      () => stack.logs.since(0, 'api').filter((l) => l.includes('API listening')).length >= PROCESSES,
    );
    world = await aWorld(stack, { clinicians: 1, firstDayOffset: 3 });
  });
  after(async () => {
    await stack?.stop();
  });

  /** The world's first clinician's week as every process answers it (two questions per process, each from a new address). */
  async function everyProcess(slug = world.practice.slug) {
    const from = Math.ceil(Date.now() / DAY_MS) * DAY_MS + 4 * DAY_MS;
    const q = new URLSearchParams({
      clinicianId: world.clinicians[0].id,
      serviceId: world.service.id,
      from: new Date(from).toISOString(),
      to: new Date(from + 7 * DAY_MS).toISOString(),
    });
    const answers = [];
    for (let i = 0; i < 2 * PROCESSES; i++)
      answers.push(await ask(`${stack.apiUrl}/portal/${slug}/availability?${q}`, visitorAddress()));
    return answers;
  }
  const slotCount = (a: { status: number; body: unknown }) =>
    a.status === 200 ? (a.body as { slots: unknown[] }).slots.length : `status ${a.status}`;

  it('runs the processes as children of one primary, all answering on the one port', () => {
    expect(apiChildren(stack.api.pid!)).to.have.length(PROCESSES);
  });

  it('a change to what is kept in memory is seen by every process on its very next question', async () => {
    const before = (await everyProcess()).map(slotCount);
    expect(new Set(before).size, 'every process answers the same').to.equal(1);
    const slots = before[0] as number;
    expect(slots).to.be.greaterThan(0);

    // Preferences (a coarser grid) by a plain UPDATE: no write path can forget to say so.
    await stack.db.sequelize.query(
      'UPDATE booking_preferences SET start_time_interval_minutes = start_time_interval_minutes * 2 WHERE clinician_id = :id',
      { replacements: { id: world.clinicians[0].id } },
    );
    const coarser = (await everyProcess()).map(slotCount);
    expect(new Set(coarser).size, JSON.stringify(coarser)).to.equal(1);
    expect(coarser[0]).to.be.lessThan(slots * 0.6);

    // A rule through the staff API: only Mondays from now on (the rule of every day is removed).
    const rules = await stack.http.get(`/api/clinicians/${world.clinicians[0].id}/availability-rules`, {
      token: world.adminToken,
    });
    for (const rule of rules.body as { id: string }[])
      expect(
        (
          await stack.http.delete(`/api/clinicians/${world.clinicians[0].id}/availability-rules/${rule.id}`, {
            token: world.adminToken,
          })
        ).status,
      ).to.equal(204);
    const none = (await everyProcess()).map(slotCount);
    expect(none).to.deep.equal(Array(2 * PROCESSES).fill(0));
    const added = await stack.http.post(
      `/api/clinicians/${world.clinicians[0].id}/availability-rules`,
      { rrule: 'FREQ=DAILY', startTime: '09:00', endTime: '10:00', timeZone: 'UTC', startDate: '2026-01-01' },
      { token: world.adminToken },
    );
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    const morning = (await everyProcess()).map(slotCount);
    expect(new Set(morning).size).to.equal(1);
    expect(morning[0]).to.be.greaterThan(0).and.lessThan(slots);

    // The portal turned off, then on under a new slug: the old one stops working at once everywhere.
    const portal = '/api/practice/client-portal';
    expect((await stack.http.patch(portal, { enabled: false }, { token: world.adminToken })).status).to.equal(
      200,
    );
    expect((await everyProcess()).map((a) => a.status)).to.deep.equal(Array(2 * PROCESSES).fill(404));
    const oldSlug = world.practice.slug;
    const newSlug = `${oldSlug}-moved`.slice(-60).replace(/^-+/, '');
    const moved = await stack.http.patch(
      portal,
      { enabled: true, slug: newSlug },
      { token: world.adminToken },
    );
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    expect((await everyProcess(oldSlug)).map((a) => a.status)).to.deep.equal(Array(2 * PROCESSES).fill(404));
    expect((await everyProcess(newSlug)).map(slotCount)).to.deep.equal(morning);
    world.practice.slug = newSlug;

    // A clinician deactivated by a plain UPDATE is no longer offered by any process.
    await stack.db.sequelize.query('UPDATE staff_users SET active = false WHERE id = :id', {
      replacements: { id: world.clinicians[0].id },
    });
    expect((await everyProcess()).map((a) => a.status)).to.deep.equal(Array(2 * PROCESSES).fill(404));
    await stack.db.sequelize.query('UPDATE staff_users SET active = true WHERE id = :id', {
      replacements: { id: world.clinicians[0].id },
    });
  });

  it(`keeps the per-address limit in each process: one address gets up to ${PROCESSES}× AVAILABILITY_PER_MINUTE`, async () => {
    const address = visitorAddress();
    const from = Math.ceil(Date.now() / DAY_MS) * DAY_MS + 4 * DAY_MS;
    const q = new URLSearchParams({
      clinicianId: world.clinicians[0].id,
      serviceId: world.service.id,
      from: new Date(from).toISOString(),
      to: new Date(from + 7 * DAY_MS).toISOString(),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3 * PER_MINUTE * PROCESSES; i++)
      statuses.push(
        (await ask(`${stack.apiUrl}/portal/${world.practice.slug}/availability?${q}`, address)).status,
      );
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered, statuses.join(','))
      .to.be.greaterThan(PER_MINUTE)
      .and.at.most(PER_MINUTE * PROCESSES);
    expect(statuses.slice(-PROCESSES * 2)).to.deep.equal(Array(PROCESSES * 2).fill(429));
  });

  it('starts another process when one dies, and keeps answering meanwhile', async () => {
    const [victim, survivor] = apiChildren(stack.api.pid!);
    process.kill(victim, 'SIGKILL');
    // A client whose connection went to the dying process retries, as any client of a killed server does.
    const health = await waitFor(
      'an answer from the surviving process',
      async () => {
        const r = await ask(`${stack.apiUrl}/healthz`, visitorAddress());
        return r.status === 200 ? r : null;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(health.status, 'the survivor answers').to.equal(200);
    await waitFor('a new API process', () => {
      const now = apiChildren(stack.api.pid!);
      return now.length === PROCESSES && !now.includes(victim) && now.includes(survivor);
    });
    await waitFor(
      'the new process listening',
      () => stack.logs.since(0, 'api').filter((l) => l.includes('API listening')).length >= PROCESSES + 1,
    );
    expect((await everyProcess()).map((a) => a.status)).to.deep.equal(Array(2 * PROCESSES).fill(200));
  });

  it('SIGTERM stops every process cleanly and the primary last', async () => {
    const children = apiChildren(stack.api.pid!);
    await stack.api.kill('SIGTERM');
    expect(children.filter(alive)).to.deep.equal([]);
    const lines = stack.logs.since(0, 'api');
    expect(
      lines.some((l) => l.includes('API processes stopped') && l.includes('"failures":0')),
      lines.slice(-5).join('\n'),
    ).to.equal(true);
  });
});
