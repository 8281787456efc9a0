import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs, { readFileSync, readdirSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  aSubmission,
  aWorld,
  decide,
  startLocalStack,
  submit,
  waitFor,
  waitForFinal,
  type Stack,
  type World,
} from '../reliability/harness';
import { spawnApp, type AppProcess } from '../support/appProcess';
import { freePort } from '../support/ports';
import { TEST_CODEC_KEYS } from '../support/codecKeys';
import { scrape, type Metrics } from '../../tools/metrics/scrape';
import { UNMATCHED_ROUTE } from '../../api/metrics';
import { rootDir } from '../../app/config';
import { ensureWebBuild } from '../../app/webBuild';

const PROCESSES = 2;

/** A GET on a connection of its own, so the cluster primary hands each to the next process in turn. */
function ask(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
  });
}

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** `count` consecutive free ports (the API processes' SDK exporters take TEMPORAL_METRICS_PORT + place). */
async function freeRange(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65535) continue;
    let ok = true;
    for (let i = 1; i < count && ok; i++) ok = await isFree(first + i);
    if (ok) return first;
  }
}

/** The API processes a primary forked, with the place each was given (tsx's esbuild service is a child too). */
function apiChildren(pid: number): { pid: number; slot: string }[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return children.flatMap((child) => {
    try {
      if (!readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('app/api.ts')) return [];
      const env = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
      const slot = env.find((e) => e.startsWith('API_PROCESS_SLOT='))?.split('=')[1] ?? '?';
      return [{ pid: child, slot }];
    } catch {
      return [];
    }
  });
}

/** A counter's growth between two scrapes. */
const grew = (before: Metrics, after: Metrics, name: string, match: Record<string, string>) =>
  after.sum(name, match) - before.sum(name, match);

describe('metrics an operator can scrape (API cluster, worker and a single API, as processes)', function () {
  this.timeout(300_000);
  let stack: Stack;
  let world: World;
  let metricsUrl: string;
  let apiSdkPort: number;
  let workerSdkPort: number;
  let worker: AppProcess | undefined;
  let single: AppProcess | undefined;
  const authSecret = randomBytes(32).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-metrics-'));
  /** What the harness gives its API, for the processes this suite starts itself. */
  const envFor = (extra: Record<string, string>) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DATABASE_URL: stack.pg.url,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    RESEND_API_KEY: 're_metrics_key',
    RESEND_BASE_URL: stack.capture.url,
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://portal.test',
    AUTH_SECRET: authSecret,
    TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
    ...extra,
  });

  before(async () => {
    const metricsPort = await freePort();
    apiSdkPort = await freeRange(PROCESSES);
    stack = await startLocalStack({
      worker: false,
      env: {
        API_PROCESSES: String(PROCESSES),
        METRICS_PORT: String(metricsPort),
        TEMPORAL_METRICS_PORT: String(apiSdkPort),
        AUTH_SECRET: authSecret,
      },
    });
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitFor(
      `${PROCESSES} API processes listening`,
      () => stack.logs.since(0, 'api').filter((l) => l.includes('API listening')).length >= PROCESSES,
    );
    workerSdkPort = await freePort();
    // A worker of its own: the SDK's runtime (and so its exporter port) is one per process.
    worker = spawnApp('app/worker.ts', envFor({ TEMPORAL_METRICS_PORT: String(workerSdkPort) }));
    await worker.waitFor(/worker running/, 180_000);
    world = await aWorld(stack, { clinicians: 1, firstDayOffset: 3 });
  });
  after(async () => {
    await single?.stop();
    await worker?.stop();
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the sum of every API process on METRICS_PORT, by method, route pattern and status code', async () => {
    const before = await scrape(metricsUrl);
    const rules = `${stack.apiUrl}/api/clinicians/${world.clinicians[0].id}/availability-rules`;
    const n = 3 * PROCESSES;
    for (let i = 0; i < n; i++) {
      expect((await ask(`${stack.apiUrl}/healthz`)).status).to.equal(200);
      expect((await ask(rules, { authorization: `Bearer ${world.adminToken}` })).status).to.equal(200);
    }
    expect((await ask(rules)).status, 'no token').to.equal(401);
    const after = await scrape(metricsUrl);

    // Each request went to the next process in turn: a primary that served one process's figures would show half.
    expect(
      grew(before, after, 'http_requests_total', { route: '/healthz', status_code: '200', method: 'GET' }),
    ).to.equal(n);
    const pattern = '/api/clinicians/:id/availability-rules';
    expect(grew(before, after, 'http_requests_total', { route: pattern, status_code: '200' })).to.equal(n);
    expect(grew(before, after, 'http_requests_total', { route: pattern, status_code: '401' })).to.equal(1);
    const durations = after.histogram('http_request_duration_seconds', {
      route: pattern,
      status_code: '200',
    })!;
    const earlier = before.histogram('http_request_duration_seconds', { route: pattern, status_code: '200' });
    expect(durations.count - (earlier?.count ?? 0)).to.equal(n);
    expect(durations.p99).to.be.greaterThan(0);
    expect(after.labelValues('http_requests_total', 'route').join(' ')).not.to.include(
      world.clinicians[0].id,
    );
    // prom-client's process metrics, summed over the processes.
    expect(after.sum('process_cpu_user_seconds_total')).to.be.greaterThan(0);
    expect(after.find('nodejs_heap_size_used_bytes')).to.have.length.greaterThan(0);
  });

  it('counts unknown paths under one label, never a label per raw path', async () => {
    const before = await scrape(metricsUrl);
    const raw = Array.from({ length: 4 }, () => `/no-such-page-${randomUUID()}`);
    for (const p of raw) expect((await ask(`${stack.apiUrl}${p}`)).status).to.equal(404);
    const after = await scrape(metricsUrl);
    expect(
      grew(before, after, 'http_requests_total', { route: UNMATCHED_ROUTE, status_code: '404' }),
    ).to.equal(4);
    const routes = after.labelValues('http_requests_total', 'route');
    for (const p of raw) expect(routes).not.to.include(p);
    expect(routes.filter((r) => r.startsWith('/no-such-page'))).to.deep.equal([]);
  });

  it("counts the browser app's pages under their patterns and its assets under their prefix, not as unmatched", async () => {
    await ensureWebBuild();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(
      readFileSync(path.join(rootDir, 'web/dist/index.html'), 'utf8'),
    )?.[1];
    expect(asset, 'a built browser app').to.be.a('string');
    const before = await scrape(metricsUrl);
    for (const page of ['/app', '/app/calendar', `/portal/${randomUUID()}`]) {
      expect((await ask(`${stack.apiUrl}${page}`, { accept: 'text/html' })).status, page).to.equal(200);
    }
    expect((await ask(`${stack.apiUrl}${asset}`)).status).to.equal(200);
    const after = await scrape(metricsUrl);
    const pages = '/app|/app/*rest|/portal/*rest';
    expect(grew(before, after, 'http_requests_total', { route: pages, status_code: '200' })).to.equal(3);
    expect(grew(before, after, 'http_requests_total', { route: '/assets/*', status_code: '200' })).to.equal(
      1,
    );
    expect(
      grew(before, after, 'http_requests_total', { route: UNMATCHED_ROUTE, status_code: '200' }),
    ).to.equal(0);
  });

  it('never serves the metrics on the public API port', async () => {
    const res = await ask(`${stack.apiUrl}/metrics`);
    expect(res.status).to.equal(404);
    expect(res.text).not.to.include('http_requests_total');
    expect((await ask(metricsUrl.replace('/metrics', '/other'))).status).to.equal(404);
  });

  it("exposes the worker's workflow-task and activity latencies, and each API process's client calls, after a real flow", async () => {
    const created = await submit(stack, world, aSubmission(world));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    expect((await decide(stack, world, id, 'approve')).status).to.equal(200);
    await waitForFinal(stack, [id]);

    const sdk = await scrape(`http://127.0.0.1:${workerSdkPort}/metrics`);
    const tasks = sdk.histogram('temporal_workflow_task_execution_latency', { workflow_type: /./ });
    expect(tasks, 'workflow-task latency').not.to.equal(null);
    expect(tasks!.count).to.be.greaterThan(0);
    expect(sdk.labelValues('temporal_workflow_task_execution_latency_count', 'task_queue')).to.include(
      stack.taskQueue,
    );
    const activities = sdk.histogram('temporal_activity_execution_latency', { activity_type: /./ });
    expect(activities, 'activity latency').not.to.equal(null);
    expect(activities!.count).to.be.greaterThan(0);
    expect(activities!.p50).to.be.greaterThan(0);

    // Every API process has its own exporter (TEMPORAL_METRICS_PORT + its place); together they started the workflow.
    const apis = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => scrape(`http://127.0.0.1:${apiSdkPort + i}/metrics`)),
    );
    for (const m of apis) expect(m.sum('temporal_request')).to.be.greaterThan(0);
    const operations = apis.flatMap((m) => m.labelValues('temporal_request', 'operation'));
    expect(
      operations.some((o) => /WorkflowExecution|MultiOperation/.test(o)),
      operations.join(','),
    ).to.equal(true);
    expect(
      apis.reduce((n, m) => n + (m.histogram('temporal_request_latency')?.count ?? 0), 0),
    ).to.be.greaterThan(0);
  });

  it('answers a scrape while a process is dead, and the one forked in its place takes its SDK exporter port', async () => {
    const children = apiChildren(stack.api.pid!);
    expect(children.map((c) => c.slot).sort()).to.deep.equal(['0', '1']);
    const victim = children.find((c) => c.slot === '1')!;
    process.kill(victim.pid, 'SIGKILL');
    const t0 = Date.now();
    const during = await scrape(metricsUrl);
    expect(Date.now() - t0, 'not held up by the dead process').to.be.lessThan(5_000);
    expect(during.find('http_requests_total').length).to.be.greaterThan(0);
    await waitFor(
      'a new process in place 1',
      () => apiChildren(stack.api.pid!).some((c) => c.slot === '1' && c.pid !== victim.pid),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    // The exporter listens from the runtime's install, before the process's client has connected: wait for the
    // connection's first call to be counted rather than reading the page the moment it answers.
    const sdk = await waitFor(
      'its SDK exporter on TEMPORAL_METRICS_PORT + 1, with its client connected',
      async () => {
        const page = await scrape(`http://127.0.0.1:${apiSdkPort + 1}/metrics`).catch(() => null);
        return page && page.sum('temporal_request', { operation: 'GetSystemInfo' }) > 0 ? page : null;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(sdk.sum('temporal_request', { operation: 'GetSystemInfo' })).to.be.greaterThan(0);
  });

  it('a single API process serves its own figures on METRICS_PORT and names both addresses when it starts', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const sdkPort = await freePort();
    single = spawnApp(
      'app/api.ts',
      envFor({
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        TEMPORAL_METRICS_PORT: String(sdkPort),
      }),
    );
    const [line] = await single.waitFor(/.*API listening.*/, 120_000);
    expect(line).to.include(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(line).to.include(`http://127.0.0.1:${sdkPort}/metrics`);
    for (let i = 0; i < 3; i++) expect((await ask(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    const m = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(m.sum('http_requests_total', { route: '/healthz', status_code: '200' })).to.equal(3);
    expect((await scrape(`http://127.0.0.1:${sdkPort}/metrics`)).sum('temporal_request')).to.be.greaterThan(
      0,
    );
    expect((await single.stop()).code).to.equal(0);
    single = undefined;
  });

  it('refuses to start on a bad metrics port, or one already taken, naming the variable', async () => {
    const bad = spawnApp('app/worker.ts', envFor({ TEMPORAL_METRICS_PORT: 'ninety' }));
    await bad.waitFor(/TEMPORAL_METRICS_PORT must be a whole number, got "ninety"/, 60_000);
    expect((await bad.stop()).code).to.not.equal(0);
    // The worker's exporter port is taken (by the worker above): the SDK refuses, and the process ends instead of
    // running unmeasured.
    const taken = spawnApp('app/worker.ts', envFor({ TEMPORAL_METRICS_PORT: String(workerSdkPort) }));
    await taken.waitFor(
      /start failed: Failed to start prometheus metrics exporter: Address already in use/,
      120_000,
    );
    expect((await taken.stop()).code).to.equal(1);
    const api = spawnApp('app/api.ts', envFor({ PORT: '3410', METRICS_PORT: '3410' }));
    await api.waitFor(/METRICS_PORT must differ from PORT \(3410\)/, 60_000);
    expect((await api.stop()).code).to.not.equal(0);
  });
});
