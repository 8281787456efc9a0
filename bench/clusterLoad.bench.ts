/**
 * Issue 17 item 4: the same submission load against the dev-server stack (test/reliability/harness.ts
 * startLocalStack: embedded PostgreSQL, the Temporal CLI dev server on SQLite, one API, one worker) and the real
 * server (tools/cluster startCluster: the Temporal server on PostgreSQL, API_COUNT APIs, WORKER_COUNT workers, all
 * NODE_ENV=production), one after the other in one run, reported side by side:
 *   - submissions/s and p50/p99 submission latency at each closed-loop concurrency (every client posts, waits for
 *     the answer, posts again; the cluster's APIs take turns, as behind a round-robin balancer);
 *   - CPU ms per request of every process (from /proc/<pid>/stat), over the window and the drain after it, so the
 *     workflow work each request set going is charged to it;
 *   - history events and bytes per request (describe of a sample of the window's request workflows, at rest);
 *   - workflow-task and activity latencies p50/p99 from the workers' TEMPORAL_METRICS_PORT (the window's share of
 *     the histograms), the API's own route latency from METRICS_PORT, and the real server's service latency.
 * New-client addresses are verified before each window (bench/support/verifiedAddresses.ts).
 * Knobs: BENCH_SECONDS (per level, default 10), BENCH_CLIENTS (levels, default "10,50"), API_COUNT and
 * WORKER_COUNT (the real server's, default 2 and 2), BENCH_DESCRIBE (workflows described per level, default 20),
 * BENCH_WARM_SECONDS (default 3).
 * Smoke (about 70 s here): BENCH_SECONDS=2 BENCH_CLIENTS=10 BENCH_WARM_SECONDS=1 API_COUNT=1 WORKER_COUNT=1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { createDatabase } from '../models/db';
import type { Store } from '../models/store';
import { codecDataConverter, parseCodecKeys } from '../temporal/codec';
import { requestWorkflowId } from '../temporal/requests';
import { startCluster } from '../tools/cluster/cluster';
import { ephemeralPorts, freePort } from '../tools/cluster/ports';
import { scrape, type Metrics } from '../tools/metrics/scrape';
import { aWorld, startLocalStack, waitFor, type Stack, type World } from '../test/reliability/harness';
import { startCaptureServer, type CaptureServer } from '../test/support/captureServer';
import { httpClient, type HttpClient } from '../test/support/http';
import { histogramDelta, type WindowHistogram } from './support/histogramDelta';
import { ownCpuMs, postgresCpuMs, processCpuMs } from './support/processCpu';
import { benchSubmission, VerifiedAddresses } from './support/verifiedAddresses';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_CLIENTS ?? '10,50').split(',').map(Number);
const API_COUNT = Number(process.env.API_COUNT ?? 2);
const WORKER_COUNT = Number(process.env.WORKER_COUNT ?? 2);
const DESCRIBE = Number(process.env.BENCH_DESCRIBE ?? 20);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);

const r1 = (x: number) => Math.round(x * 10) / 10;
const quantile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
};
/** Progress with the seconds since the start, so a slow phase shows. */
const began = performance.now();
const say = (line: string) => console.log(`[${Math.round((performance.now() - began) / 1000)} s] ${line}`);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** One stack under test, whichever server it runs on. */
interface Target {
  name: string;
  apiUrls: string[];
  /** Talks to the first API (fixtures, verification). */
  http: HttpClient;
  db: Store;
  temporal: Client;
  capture: CaptureServer;
  secrets: Set<string>;
  /** CPU ms so far of each process, by name (api1, worker1, temporal, postgres, bench). */
  cpu(): Record<string, number>;
  workerMetrics: string[];
  apiMetrics: string[];
  serverMetrics: string | null;
  describe: string;
  stop(): Promise<void>;
}

/** The role a process name belongs to (api1 → api), for the per-role CPU columns. */
const role = (name: string) => name.replace(/\d+$/, '');

interface LevelResult {
  clients: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  drainSeconds: number;
  /** CPU ms per request, by process and by role, over the window and its drain. */
  cpuPerRequest: Record<string, number>;
  cpuPerRequestByRole: Record<string, number>;
  coresBusy: number;
  history: { sampled: number; events: number; bytes: number };
  latencies: Record<string, WindowHistogram | null>;
}

interface TargetResult {
  name: string;
  describe: string;
  levels: LevelResult[];
}

/** `clients` closed loops posting submissions for `seconds`, the APIs taking turns. */
async function closedLoop(
  target: Target,
  world: World,
  verified: VerifiedAddresses,
  clients: number,
  seconds: number,
) {
  const latencies: number[] = [];
  const ids: string[] = [];
  let other = 0;
  let turn = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const url = `${target.apiUrls[turn++ % target.apiUrls.length]}/portal/${world.practice.slug}/requests`;
        const { body, headers } = benchSubmission(world, verified);
        const start = performance.now();
        try {
          const res = await fetch(url, {
            method: 'POST',
            body,
            headers,
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          latencies.push(performance.now() - start);
          if (res.status === 201) ids.push((JSON.parse(text) as { id: string }).id);
          else other++;
        } catch {
          other++;
        }
      }
    }),
  );
  return { latencies, ids, other, seconds: (performance.now() - t0) / 1000 };
}

/** Waits until the workers caught up: both notification emails of every submitted request delivered. */
async function quiesce(target: Target, submitted: number, timeoutMs = 600_000): Promise<number> {
  const t0 = performance.now();
  await waitFor(
    'the workers to catch up',
    () =>
      target.capture.deliveries().filter((e) => /^request-(new|received)\//.test(e.idempotencyKey ?? ''))
        .length >=
      2 * submitted,
    { timeoutMs, intervalMs: 250 },
  );
  return (performance.now() - t0) / 1000;
}

const scrapeAll = (urls: string[]) => Promise.all(urls.map((u) => scrape(u)));

/** The window's latencies from every worker's SDK exporter, the APIs' HTTP metrics and the server's own. */
function latencies(
  before: { workers: Metrics[]; apis: Metrics[]; server: Metrics[] },
  after: { workers: Metrics[]; apis: Metrics[]; server: Metrics[] },
  submitRoute: string,
): Record<string, WindowHistogram | null> {
  const sdk = (name: string) => histogramDelta(before.workers, after.workers, name);
  return {
    'workflow task execution (ms)': sdk('temporal_workflow_task_execution_latency'),
    'workflow task schedule-to-start (ms)': sdk('temporal_workflow_task_schedule_to_start_latency'),
    'activity execution (ms)': sdk('temporal_activity_execution_latency'),
    'activity schedule-to-start (ms)': sdk('temporal_activity_schedule_to_start_latency'),
    'API submission route, in the API (s)': histogramDelta(
      before.apis,
      after.apis,
      'http_request_duration_seconds',
      {
        route: submitRoute,
        method: 'POST',
      },
    ),
    'server StartWorkflowExecution (s)': histogramDelta(before.server, after.server, 'service_latency', {
      operation: 'StartWorkflowExecution',
    }),
    'server persistence, every operation (s)': histogramDelta(
      before.server,
      after.server,
      'persistence_latency',
    ),
  };
}

/** Warm-up, then each level: verify ahead, measure the window and its drain, read metrics and histories. */
async function measure(target: Target): Promise<TargetResult> {
  const stackLike = { http: target.http, db: target.db, secrets: target.secrets } as unknown as Stack;
  const world = await aWorld(stackLike, { clinicians: 50, firstDayOffset: 3 });
  let submitted = 0;
  const verify = (submissions: number) =>
    VerifiedAddresses.verify({
      http: target.http,
      capture: target.capture,
      slug: world.practice.slug,
      submissions,
    });

  // Warm-up: JIT, pools, the first workflow tasks; its rate sizes the verified pools of the levels.
  const warm = await closedLoop(target, world, await verify(WARM_SECONDS * 60), 10, WARM_SECONDS);
  submitted += warm.ids.length;
  await quiesce(target, submitted);
  const warmRate = warm.ids.length / warm.seconds;
  say(`${target.name}: warm-up ${r1(warmRate)} req/s`);
  const submitRoute =
    (await scrapeAll(target.apiMetrics))
      .flatMap((m) => m.labelValues('http_requests_total', 'route', { method: 'POST' }))
      .find((r) => r.endsWith('/requests') && r.startsWith('/portal/')) ?? '/portal/:slug/requests';

  const levels: LevelResult[] = [];
  for (const clients of LEVELS) {
    // Twice the warm-up rate (more clients may go faster), plus a margin; the rest of the pool expires unused.
    const verified = await verify(Math.ceil(Math.max(warmRate, 5) * SECONDS * 2.5) + 50);
    const serverUrls = target.serverMetrics ? [target.serverMetrics] : [];
    const before = {
      workers: await scrapeAll(target.workerMetrics),
      apis: await scrapeAll(target.apiMetrics),
      server: await scrapeAll(serverUrls),
    };
    const cpu0 = target.cpu();
    const run = await closedLoop(target, world, verified, clients, SECONDS);
    submitted += run.ids.length;
    const drainSeconds = await quiesce(target, submitted);
    const cpu1 = target.cpu();
    const after = {
      workers: await scrapeAll(target.workerMetrics),
      apis: await scrapeAll(target.apiMetrics),
      server: await scrapeAll(serverUrls),
    };
    const n = Math.max(run.ids.length, 1);
    const cpuPerRequest = Object.fromEntries(
      Object.keys(cpu1).map((k) => [k, r1((cpu1[k] - (cpu0[k] ?? 0)) / n)]),
    );
    const cpuPerRequestByRole: Record<string, number> = {};
    for (const [k, v] of Object.entries(cpuPerRequest))
      cpuPerRequestByRole[role(k)] = r1((cpuPerRequestByRole[role(k)] ?? 0) + v);
    const busyMs = Object.keys(cpu1).reduce((s, k) => s + cpu1[k] - (cpu0[k] ?? 0), 0);
    // At rest now: every sampled workflow is open, waiting for a decision, with its submission's work done.
    const sample = run.ids.filter((_, i) => i % Math.max(1, Math.floor(run.ids.length / DESCRIBE)) === 0);
    const described = await Promise.all(
      sample
        .slice(0, DESCRIBE)
        .map((id) => target.temporal.workflow.getHandle(requestWorkflowId(id)).describe()),
    );
    levels.push({
      clients,
      seconds: r1(run.seconds),
      rps: r1(run.ids.length / run.seconds),
      p50: r1(quantile(run.latencies, 0.5)),
      p99: r1(quantile(run.latencies, 0.99)),
      ok: run.ids.length,
      other: run.other,
      drainSeconds: r1(drainSeconds),
      cpuPerRequest,
      cpuPerRequestByRole,
      coresBusy: Math.round((busyMs / 1000 / (run.seconds + drainSeconds)) * 100) / 100,
      history: {
        sampled: described.length,
        events: r1(mean(described.map((d) => d.historyLength))),
        bytes: Math.round(mean(described.map((d) => d.historySize ?? NaN))),
      },
      latencies: latencies(before, after, submitRoute),
    });
    const l = levels.at(-1)!;
    say(
      `${target.name}, ${clients} clients: ${l.rps} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.other} other answers`,
    );
  }
  return { name: target.name, describe: target.describe, levels };
}

/** The dev-server stack, with the API's metrics and each process's SDK exporter on a port of its own. */
async function devTarget(): Promise<Target> {
  const [apiMetrics, apiSdk, workerSdk] = [await freePort(), await freePort(), await freePort()];
  const stack = await startLocalStack({
    logLevel: 'info',
    worker: false,
    env: { METRICS_PORT: String(apiMetrics), TEMPORAL_METRICS_PORT: String(apiSdk) },
  });
  try {
    // The harness gives the API and the worker one environment object, read at each start: the API has started
    // with its port, so the worker, started now, takes its own (the SDK exporter is one per process).
    (stack.worker['env'] as NodeJS.ProcessEnv).TEMPORAL_METRICS_PORT = String(workerSdk);
    await stack.startWorker();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return {
    name: 'dev server',
    describe:
      'test/reliability/harness.ts startLocalStack: embedded PostgreSQL (the app only), the Temporal CLI dev server on a SQLite file, 1 API and 1 worker (NODE_ENV=test)',
    apiUrls: [stack.apiUrl],
    http: stack.http,
    db: stack.db,
    temporal: stack.temporal,
    capture: stack.capture,
    secrets: stack.secrets,
    cpu: () => ({
      api1: processCpuMs(stack.api.pid),
      worker1: processCpuMs(stack.worker.pid),
      temporal: processCpuMs(stack.temporalServer.pid),
      postgres: postgresCpuMs(stack.pg.pid),
      bench: ownCpuMs(),
    }),
    workerMetrics: [`http://127.0.0.1:${workerSdk}/metrics`],
    apiMetrics: [`http://127.0.0.1:${apiMetrics}/metrics`],
    serverMetrics: null,
    stop: () => stack.stop(),
  };
}

/** The real server: startCluster() on ports nothing else uses, in a folder of its own. */
async function clusterTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'booking-cluster-load-'));
  const capture = await startCaptureServer();
  const cluster = await startCluster({
    dataDir: dir,
    apiCount: API_COUNT,
    workerCount: WORKER_COUNT,
    ports: await ephemeralPorts({ apis: API_COUNT, workers: WORKER_COUNT }),
    seed: false,
    ui: false,
    appEnv: {
      RESEND_API_KEY: 're_cluster_load_key',
      RESEND_BASE_URL: capture.url,
      // Each simulated visitor comes from an address of its own, through the loopback "proxy".
      TRUST_PROXY: 'loopback',
    },
  }).catch(async (err: unknown) => {
    await capture.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const db = createDatabase(cluster.addresses.databaseUrl, { poolMax: 5 });
  const temporal = new Client({
    connection: await Connection.connect({ address: cluster.addresses.temporal }),
    dataConverter: codecDataConverter(parseCodecKeys(cluster.secrets.codecKeys)),
  });
  return {
    name: 'real server',
    describe: `tools/cluster startCluster: one PostgreSQL (the app and Temporal's persistence and visibility), the Temporal server 1.29.1 (all four services in one process), ${API_COUNT} API(s) and ${WORKER_COUNT} worker(s) (NODE_ENV=production)`,
    apiUrls: cluster.addresses.apis,
    http: httpClient(cluster.addresses.apis[0]),
    db,
    temporal,
    capture,
    secrets: new Set(),
    cpu: () => ({
      ...Object.fromEntries(cluster.apis.map((p) => [p.name, processCpuMs(p.pid)])),
      ...Object.fromEntries(cluster.workers.map((p) => [p.name, processCpuMs(p.pid)])),
      temporal: processCpuMs(cluster.temporal.pid),
      postgres: postgresCpuMs(cluster.postgres.pid),
      bench: ownCpuMs(),
    }),
    workerMetrics: cluster.addresses.workerTemporalMetrics,
    apiMetrics: cluster.addresses.apiMetrics,
    serverMetrics: cluster.addresses.temporalMetrics,
    async stop() {
      await temporal.connection.close().catch(() => {});
      await db.sequelize.close().catch(() => {});
      await cluster.stop();
      await capture.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  installTemporalRuntime(createLogger('warn'));
  const load = loadavg().map((x) => Math.round(x * 100) / 100);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    loadAtStart: load,
  };
  console.log(`load average at start: ${load.join(' ')}`);
  const results: TargetResult[] = [];
  // One after the other, never both up at once: each has the machine to itself (and the other engineers).
  for (const start of [devTarget, clusterTarget]) {
    say(`starting the ${start === devTarget ? 'dev-server stack' : 'real-server cluster'}…`);
    const target = await start();
    try {
      results.push(await measure(target));
    } finally {
      await target.stop();
    }
  }
  report(machine, results);
}

function report(
  machine: { cpu: string; cores: number; node: string; loadAtStart: number[] },
  results: TargetResult[],
) {
  const [dev, real] = results;
  const roles = [
    ...new Set(results.flatMap((t) => t.levels.flatMap((l) => Object.keys(l.cpuPerRequestByRole)))),
  ];
  const side = (label: string, f: (l: LevelResult) => string | number) =>
    LEVELS.map((c, i) => `| ${label}, ${c} clients | ${f(dev.levels[i])} | ${f(real.levels[i])} |`);
  const sig = (x: number) => Number(x.toPrecision(3));
  const fmt = (h: WindowHistogram | null) =>
    h && h.count > 0 ? `${sig(h.p50)} / ${sig(h.p99)} (${h.count})` : 'n/a';
  const latencyNames = Object.keys(dev.levels[0].latencies);
  const table = [
    '| measure | dev server | real server |',
    '|---|---:|---:|',
    ...side('submissions/s', (l) => l.rps),
    ...side('submission p50 / p99 ms', (l) => `${l.p50} / ${l.p99}`),
    ...side('201s / other answers', (l) => `${l.ok} / ${l.other}`),
    ...side('workers drained in (s)', (l) => l.drainSeconds),
    ...side('cores busy (window + drain)', (l) => l.coresBusy),
    ...roles.flatMap((r) => side(`CPU ms per request: ${r}`, (l) => l.cpuPerRequestByRole[r] ?? 'n/a')),
    ...side('history events per request', (l) => l.history.events),
    ...side('history bytes per request', (l) => l.history.bytes),
    ...latencyNames.flatMap((name) => side(`${name} p50 / p99 (count)`, (l) => fmt(l.latencies[name]))),
  ];
  const perProcess = results.flatMap((t) =>
    t.levels.map(
      (l) =>
        `| ${t.name}, ${l.clients} clients | ${Object.entries(l.cpuPerRequest)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} |`,
    ),
  );
  console.log([...table, '', ...perProcess].join('\n'));

  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'clusterLoad.json'),
    `${JSON.stringify({ machine, seconds: SECONDS, levels: LEVELS, apiCount: API_COUNT, workerCount: WORKER_COUNT, results }, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'clusterLoad.md'),
    [
      '# Cluster load: the dev server and the real Temporal server, side by side',
      '',
      `Produced by \`BENCH_SECONDS=${SECONDS} BENCH_CLIENTS=${LEVELS.join(',')} API_COUNT=${API_COUNT} WORKER_COUNT=${WORKER_COUNT} node_modules/.bin/tsx bench/clusterLoad.bench.ts\``,
      `on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average at start ${machine.loadAtStart.join(' ')}`,
      '(the machine is shared with two other engineers: figures move with what they run).',
      '',
      `- dev server: ${dev.describe}.`,
      `- real server: ${real.describe}.`,
      '',
      `Each level: closed-loop clients post new-client submissions (verified addresses, distinct slots of 50 clinicians,`,
      `each its own network address) for ${SECONDS} s after a ${WARM_SECONDS} s warm-up, the APIs taking turns; then the`,
      'workers drain (both notification emails of every request delivered). CPU per request is each process’s CPU',
      'time over the window and the drain, from /proc, divided by the 201s; “bench” is the load generator (this process).',
      'History events and bytes: describe of a sample of the window’s request workflows at rest (open, awaiting a decision).',
      'Latencies: the window’s share of the Prometheus histograms (workers’ TEMPORAL_METRICS_PORT, the APIs’ METRICS_PORT,',
      'the real server’s own metrics port; the dev server’s are not scraped), p50 / p99 and how many were observed.',
      '',
      ...table,
      '',
      'CPU ms per request by process:',
      '',
      '| run | processes |',
      '|---|---|',
      ...perProcess,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
