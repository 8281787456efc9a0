import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { rootDir } from '../../app/config';
import { startCluster, type Cluster } from '../../tools/cluster/cluster';
import { ephemeralPorts } from '../../tools/cluster/ports';
import { createDatabase } from '../../models/db';
import type { Store } from '../../models/store';
import { codecDataConverter, parseCodecKeys } from '../../temporal/codec';
import { requestWorkflowId } from '../../temporal/requests';
import { scrape, type HistogramSummary, type Metrics } from '../../tools/metrics/scrape';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { httpClient } from '../support/http';
import { fixturePassword } from '../fixtures';
import {
  aSubmission,
  aWorld,
  decide,
  expectFinalAsIntended,
  sized,
  submit,
  type Stack,
  type Submission,
  type World,
} from './harness';

/** CLUSTER_TEST_REQUESTS: requests in the kill test (default 24 in CI, 120 with RELIABILITY_FULL=1). */
const REQUESTS = Number(process.env.CLUSTER_TEST_REQUESTS ?? sized(24, 120));
/** CLUSTER_TEST_CONCURRENCY: submissions in flight at once. */
const CONCURRENCY = Number(process.env.CLUSTER_TEST_CONCURRENCY ?? 6);

/**
 * Issue 17 item 2: the production shape (tools/cluster/) as separate processes: PostgreSQL, the real Temporal
 * server on it, its UI, two APIs and two workers with NODE_ENV=production, on ports of their own.
 */
describe('reliability: the production shape (real Temporal server on PostgreSQL, 2 APIs, 2 workers)', function () {
  this.timeout(600_000);
  // Named now, made by the before hook: a run that filters this suite out leaves nothing behind.
  const dir = path.join(os.tmpdir(), `booking-cluster-${randomUUID()}`);
  let cluster: Cluster;
  let capture: CaptureServer;
  let db: Store;
  let temporal: Client;
  const secrets = new Set<string>();
  let startup = '';
  // Detached children outlive a crashed test process unless killed on the way out.
  const killAll = () => {
    if (!cluster) return;
    for (const p of [...cluster.apis, ...cluster.workers, cluster.ui, cluster.temporal, cluster.postgres])
      p?.killNow();
  };

  /** The harness's helpers, talking to API i (0-based) of the cluster; they read only these fields. */
  const via = (i: number): Stack =>
    ({
      http: httpClient(cluster.addresses.apis[i % cluster.addresses.apis.length]),
      db,
      temporal,
      capture,
      secrets,
    }) as unknown as Stack;

  before(async function () {
    fs.mkdirSync(dir, { mode: 0o755 });
    process.on('exit', killAll);
    capture = await startCaptureServer();
    const t0 = Date.now();
    cluster = await startCluster({
      dataDir: dir,
      ports: await ephemeralPorts({ apis: 2, workers: 2 }),
      seed: false,
      appEnv: {
        RESEND_API_KEY: 're_cluster_key',
        RESEND_BASE_URL: capture.url,
        // The harness gives each simulated visitor an address of its own, through the loopback "proxy".
        TRUST_PROXY: 'loopback',
      },
    });
    db = createDatabase(cluster.addresses.databaseUrl, { poolMax: 5 });
    temporal = new Client({
      connection: await Connection.connect({ address: cluster.addresses.temporal }),
      dataConverter: codecDataConverter(parseCodecKeys(cluster.secrets.codecKeys)),
    });
    const timings = Object.entries(cluster.timings).map(([k, v]) => `${k} ${v} s`);
    startup = `up in ${Math.round((Date.now() - t0) / 1000)} s: ${timings.join(', ')}`;
  });

  after(async function () {
    await temporal?.connection.close().catch(() => {});
    await db?.sequelize.close().catch(() => {});
    await cluster?.stop();
    await capture?.close();
    process.off('exit', killAll);
    if (!process.env.RELIABILITY_KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Submits through whichever API answers, as behind a load balancer: a refused or dropped try goes to the next. */
  async function submitAnywhere(world: World, s: Submission, limitMs: number, first = 0) {
    const deadline = Date.now() + limitMs;
    const answers: number[] = [];
    for (let n = first; ; n++) {
      const res = await submit(via(n), world, s);
      answers.push(res.status);
      if ((res.status !== 0 && res.status < 500) || Date.now() > deadline) return { res, answers };
      await sleep(500);
    }
  }

  async function approvedRequest(world: World) {
    const submission = aSubmission(world);
    const { res } = await submitAnywhere(world, submission, 60_000, 0);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const id = res.body.id as string;
    const decided = await decide(via(1), world, id, 'approve');
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    return { id, submission };
  }

  it('a request submitted through API 1 and approved through API 2 ends approved, each of its emails sent once', async function () {
    const world = await aWorld(via(0), { clinicians: 1 });
    const { id } = await approvedRequest(world);
    await expectFinalAsIntended(via(1), [id], new Map([[id, 'approved']]), 120_000);
    this.test!.title += ` (cluster ${startup})`;
  });

  it("a client's portal session and a clinician's staff session work through either API (nothing kept in a process)", async () => {
    const world = await aWorld(via(0), { clinicians: 1 });
    const { id, submission } = await approvedRequest(world);
    const email = submission.body.newClient.email;
    const slug = world.practice.slug;

    // The client asks API 1 for a sign-in code, exchanges it at API 2, and reads their requests from API 1.
    const asked = await via(0).http.post(`/portal/${slug}/auth/code`, { email });
    expect(asked.status).to.equal(202);
    const delivered = await capture.waitFor(
      (e) => e.to.includes(email) && (e.idempotencyKey?.startsWith('sign-in-code/') ?? false),
      60_000,
    );
    const code = /^\s*(\d{6})\s*$/m.exec(delivered.text ?? '')?.[1];
    expect(code, 'a 6-digit code in the email').to.be.a('string');
    const verified = await via(1).http.post(`/portal/${slug}/auth/verify`, { email, code });
    expect(verified.status, JSON.stringify(verified.body)).to.equal(200);
    const clientToken = verified.body.token as string;
    for (const i of [0, 1]) {
      // Each API serves the browser app itself: a fresh clone's first `up` builds it, production never does.
      for (const page of ['/app', `/portal/${slug}`]) {
        const html = await fetch(cluster.addresses.apis[i] + page, { headers: { accept: 'text/html' } });
        expect(html.status, `API ${i + 1} ${page}`).to.equal(200);
        expect(await html.text(), `API ${i + 1} ${page}`).to.match(/<script type="module"/);
      }
      const mine = await via(i).http.get(`/portal/${slug}/me/requests`, { token: clientToken });
      expect(mine.status, `API ${i + 1}`).to.equal(200);
      expect(JSON.stringify(mine.body), `API ${i + 1}`).to.include(id);
    }

    // The clinician signs in at API 2 and sees the request at API 1.
    const clinician = world.clinicians[0];
    const staffToken = await via(1).http.signIn(clinician.email, fixturePassword);
    for (const i of [0, 1]) {
      const list = await via(i).http.get('/api/appointment-requests', { token: staffToken });
      expect(list.status, `API ${i + 1}`).to.equal(200);
      expect(JSON.stringify(list.body), `API ${i + 1}`).to.include(id);
    }
  });

  it("the Temporal UI decrypts payloads through the first API's codec endpoint with the operator token", async () => {
    const world = await aWorld(via(0), { clinicians: 1 });
    const { id } = await approvedRequest(world);
    const settings = (await (await fetch(`${cluster.addresses.ui}/api/v1/settings`)).json()) as {
      Codec: { Endpoint: string };
    };
    expect(settings.Codec.Endpoint).to.equal(
      `${cluster.addresses.apis[0]}/codec/operator/${cluster.secrets.codecOperatorToken}`,
    );
    // What the UI sees: the workflow's input as stored on the server, encrypted.
    const raw = await Connection.connect({ address: cluster.addresses.temporal });
    try {
      const history = await raw.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId: requestWorkflowId(id) },
      });
      const input = history.history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
      const b64 = (u: Uint8Array | null | undefined) => Buffer.from(u ?? []).toString('base64');
      const payloads = input.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
        data: b64(p.data),
      }));
      expect(Buffer.from(payloads[0].data, 'base64').toString()).to.not.include(id);
      const res = await fetch(`${settings.Codec.Endpoint}/decode`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: cluster.addresses.ui!,
          'x-namespace': 'default',
        },
        body: JSON.stringify({ payloads }),
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get('access-control-allow-origin')).to.equal(cluster.addresses.ui);
      const decoded = (await res.json()) as { payloads: { data: string }[] };
      expect(Buffer.from(decoded.payloads[0].data, 'base64').toString()).to.include(id);
    } finally {
      await raw.close();
    }
  });

  it('under load: kill -9 of a worker and of an API, the Temporal server and PostgreSQL restarted: every acknowledged request final as decided, each email once, no overlaps', async function () {
    const world = await aWorld(via(0), { clinicians: 4 });
    const events: string[] = [];
    const timed = async (what: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      await fn();
      events.push(`${what} (back in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    };
    const disruptions: [string, () => Promise<void>][] = [
      [
        'worker',
        () =>
          timed('worker 1 kill -9', async () => {
            await cluster.workers[0].kill('SIGKILL');
            await sleep(1_000);
            await cluster.startWorker(0);
          }),
      ],
      [
        'api',
        () =>
          timed('API 2 kill -9', async () => {
            await cluster.apis[1].kill('SIGKILL');
            await sleep(1_000);
            await cluster.startApi(1);
          }),
      ],
      [
        'temporal',
        () =>
          timed('Temporal server kill -9 and start', async () => {
            await cluster.temporal.kill('SIGKILL');
            await sleep(1_000);
            await cluster.startTemporal();
          }),
      ],
      [
        'postgres',
        () =>
          timed('PostgreSQL stop and start', async () => {
            await cluster.postgres.stop();
            await sleep(2_000);
            await cluster.startPostgres();
          }),
      ],
    ];
    // Each client submits, then the practice decides through the other API, over and over until every disruption
    // has happened and come back (one at a time, a moment apart) and at least REQUESTS requests were made: every
    // disruption lands on submissions, verifications, decisions and workflows in flight.
    const ids: string[] = [];
    const intended = new Map<string, string>();
    const tries: number[] = [];
    const decisionRetries: string[] = [];
    let disrupted = false;
    let made = 0;
    const disrupting = (async () => {
      while (ids.length < CONCURRENCY) await sleep(100);
      for (const [, disrupt] of disruptions) {
        await disrupt();
        await sleep(1_500);
      }
      disrupted = true;
    })();
    await Promise.all([
      disrupting,
      ...Array.from({ length: CONCURRENCY }, async () => {
        while ((!disrupted || made < REQUESTS) && made < REQUESTS * 20) {
          const n = made++;
          const { res, answers } = await submitAnywhere(world, aSubmission(world), 240_000, n);
          tries.push(answers.length);
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          const id = res.body.id as string;
          ids.push(id);
          intended.set(id, n % 3 === 2 ? 'declined' : 'approved');
          const decided = await decide(via(n + 1), world, id, n % 3 === 2 ? 'decline' : 'approve');
          // A decision that outlived the API's wait (503) and was retried may find its first attempt applied.
          if (decided.status !== 200) {
            expect(decided.body.code, `${id}: ${JSON.stringify(decided.body)}`).to.equal(
              'REQUEST_NOT_PENDING',
            );
            decisionRetries.push(id);
          }
        }
      }),
    ]);
    expect(events, 'four disruptions').to.have.length(4);
    const { replays } = await expectFinalAsIntended(via(0), ids, intended, 300_000);
    const retried = tries.filter((n) => n > 1).length;
    this.test!.title += ` (${ids.length} requests, ${CONCURRENCY} clients; ${events.join('; ')}; ${retried} submissions retried; ${decisionRetries.length} decisions found already applied; ${replays} sends replayed by key)`;
  });

  it("scrapes the Temporal server's Prometheus endpoint on its configured port: the requests it served", async () => {
    const res = await fetch(cluster.addresses.temporalMetrics);
    expect(res.status).to.equal(200);
    const text = await res.text();
    for (const metric of ['service_requests', 'persistence_requests', 'task_latency_count'])
      expect(text, metric).to.match(new RegExp(`^${metric}\\{`, 'm'));
  });

  // Issue 17 item 3b: once, at the end, what an operator's Prometheus would scrape from every API and worker. The
  // test makes one request of its own first, so it holds when run alone; after the others the counts are theirs too.
  it("scrapes every API's HTTP metrics and every API's and worker's Temporal SDK metrics on their configured ports", async function () {
    const world = await aWorld(via(0), { clinicians: 1 });
    const { id } = await approvedRequest(world);
    await expectFinalAsIntended(via(1), [id], new Map([[id, 'approved']]), 120_000);
    const { apiMetrics, apiTemporalMetrics, workerTemporalMetrics } = cluster.addresses;
    const [apis, apiSdks, workers] = await Promise.all(
      [apiMetrics, apiTemporalMetrics, workerTemporalMetrics].map((urls) =>
        Promise.all(urls.map((u) => scrape(u))),
      ),
    );
    expect(apis, 'every API has an HTTP metrics port').to.have.length(cluster.apis.length);
    expect(workers, 'every worker has an SDK metrics port').to.have.length(cluster.workers.length);

    const requests = (m: Metrics[], route: string, status: string) =>
      m.reduce((n, page) => n + page.sum('http_requests_total', { route, status_code: status }), 0);
    const routes = new Map<string, number>();
    for (const page of apis)
      for (const s of page.find('http_requests_total'))
        routes.set(
          `${s.labels.method} ${s.labels.route} ${s.labels.status_code}`,
          (routes.get(`${s.labels.method} ${s.labels.route} ${s.labels.status_code}`) ?? 0) + s.value,
        );
    // The test's own request went in through API 1 and was approved through API 2.
    expect(
      apis[0].sum('http_requests_total', { route: '/portal/:slug/requests', status_code: '201' }),
    ).to.be.above(0);
    expect(
      apis[1].sum('http_requests_total', {
        route: '/api/appointment-requests/:id/approve',
        status_code: '200',
      }),
    ).to.be.above(0);
    for (const [route, status] of [
      ['/portal/:slug/email-verifications', '202'],
      ['/portal/:slug/requests', '201'],
      ['/api/appointment-requests/:id/approve', '200'],
      ['/readyz', '200'],
    ])
      expect(requests(apis, route, status), `${route} ${status}`).to.be.above(0);
    const submitLatency = apis
      .map((page) => page.histogram('http_request_duration_seconds', { route: '/portal/:slug/requests' }))
      .filter((h): h is HistogramSummary => h !== null);
    expect(
      submitLatency.reduce((n, h) => n + h.count, 0),
      'submission latencies observed',
    ).to.be.above(0);

    // The APIs' Temporal clients went through the SDK's core: their requests (workflow starts, updates) are counted.
    for (const [i, page] of apiSdks.entries())
      expect(page.sum('temporal_request'), `API ${i + 1}'s client requests`).to.be.above(0);
    const summed = (name: string, match: Record<string, RegExp>) => {
      const hs = workers
        .map((w) => w.histogram(name, match))
        .filter((h): h is HistogramSummary => h !== null);
      return { count: hs.reduce((n, h) => n + h.count, 0), each: hs };
    };
    const tasks = summed('temporal_workflow_task_execution_latency', { workflow_type: /./ });
    const activities = summed('temporal_activity_execution_latency', { activity_type: /./ });
    expect(tasks.count, 'workflow tasks run').to.be.above(0);
    expect(activities.count, 'activities run').to.be.above(0);
    for (const h of [...tasks.each, ...activities.each].filter((x) => x.count > 0)) {
      expect(h.p50).to.be.above(0);
      expect(h.p99).to.be.at.least(h.p50);
    }
    for (const [i, page] of workers.entries())
      expect(
        page.samples.some((s) => s.name.startsWith('temporal_')),
        `worker ${i + 1} serves SDK metrics`,
      ).to.equal(true);

    const q = (h: HistogramSummary) =>
      `p50 ${+h.p50.toPrecision(3)} / p99 ${+h.p99.toPrecision(3)} ms (${h.count})`;
    const lines = [
      'HTTP requests by route and status (every API):',
      ...[...routes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${n}`),
      ...tasks.each.map((h, i) => `worker ${i + 1} workflow-task execution: ${q(h)}`),
      ...activities.each.map((h, i) => `worker ${i + 1} activity execution: ${q(h)}`),
    ];
    console.log(lines.map((l) => `      ${l}`).join('\n'));
    this.test!.title += ` (${tasks.count} workflow tasks, ${activities.count} activities)`;
  });
});

/** `npm run stack:cluster` as a newcomer runs it: up, status, Ctrl-C, up again on the same data, down, purge. */
describe('npm run stack:cluster: the command itself', function () {
  this.timeout(300_000);
  const dir = path.join(os.tmpdir(), `booking-cluster-cli-${randomUUID()}`);
  // Bases inside the cluster's ranges, away from the defaults a developer's own cluster uses.
  const env = {
    ...process.env,
    CLUSTER_DIR: dir,
    API_COUNT: '1',
    WORKER_COUNT: '1',
    CLUSTER_POSTGRES_PORT: '55470',
    CLUSTER_TEMPORAL_PORT: '7360',
    CLUSTER_UI_PORT: '7390',
    CLUSTER_API_PORT: '3480',
    CLUSTER_API_METRICS_PORT: '3485',
    CLUSTER_TEMPORAL_METRICS_PORT: '3490',
  };
  const cli = ['--import', 'tsx', 'tools/cluster/main.ts'];
  const upProcesses: ChildProcess[] = [];

  /** Runs a command to its end: its exit code and output. */
  const run = (command: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [...cli, command], { cwd: rootDir, env });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });

  /** Starts `up` and resolves once it printed its addresses, with the output so far and its end. */
  const up = async () => {
    const child = spawn(process.execPath, [...cli, 'up'], { cwd: rootDir, env });
    upProcesses.push(child);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([
      (async () => {
        while (!out.includes('Ctrl-C (or')) await sleep(200);
      })(),
      ended.then((code) => {
        throw new Error(`up exited with ${code}:\n${out}`);
      }),
    ]);
    return { child, output: () => out, ended };
  };

  after(async () => {
    for (const child of upProcesses) child.kill('SIGINT');
    await run('purge');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, reports every process running, stops on Ctrl-C, starts again on the same data, stops by `down`, purges', async function () {
    const t0 = Date.now();
    const first = await up();
    const firstUp = Math.round((Date.now() - t0) / 1000);
    for (const address of [
      '127.0.0.1:3480',
      '127.0.0.1:7360',
      '127.0.0.1:7390',
      '127.0.0.1:55470',
      ':3485',
      ':3490',
      ':3491',
    ])
      expect(first.output(), address).to.include(address);
    expect(first.output()).to.include('demo practice seeded');
    const secrets = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    const running = await run('status');
    expect(running.code, running.out).to.equal(0);
    for (const name of ['supervisor', 'postgres', 'temporal', 'ui', 'api1', 'worker1'])
      expect(running.out).to.match(new RegExp(`${name}\\s+pid \\d+\\s+running`));
    expect((await fetch('http://127.0.0.1:3480/readyz')).status).to.equal(200);

    first.child.kill('SIGINT');
    expect(await first.ended, first.output()).to.equal(0);
    expect(first.output()).to.match(/\[cluster\] stopped$/m);
    expect((await run('status')).code, 'nothing runs after Ctrl-C').to.equal(1);
    expect(await fetch('http://127.0.0.1:3480/readyz').catch(() => null)).to.equal(null);

    const second = await up();
    expect(second.output(), 'the demo seed and migrations ran once').to.not.match(
      /demo practice seeded|migrations applied/,
    );
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8'), 'the same secrets').to.equal(secrets);
    const stopped = await run('down');
    expect(stopped.code, stopped.out).to.equal(0);
    expect(await second.ended).to.equal(0);
    expect((await run('status')).code).to.equal(1);

    const purged = await run('purge');
    expect(purged.code, purged.out).to.equal(0);
    expect(fs.existsSync(dir)).to.equal(false);
    this.test!.title += ` (first up ${firstUp} s)`;
  });
});
