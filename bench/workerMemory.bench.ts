/**
 * Worker memory benchmark (issue 18, item 4): what open appointment-request workflows cost a worker's memory, with
 * today's workflow cache (the SDK's default, derived from the heap limit) beside the size the app now sets
 * (WORKER_MAX_CACHED_WORKFLOWS), in one run on one stack (embedded PostgreSQL, the Temporal CLI dev server on a
 * SQLite file, the API), with `node app/worker.ts` started by this bench, one configuration at a time.
 *
 * For each size (cumulative): pending requests are written in bulk SQL and their workflows started with bounded
 * concurrency until every one is pending with both emails sent. Then, for each configuration, a fresh worker
 * answers a query on every open workflow, so each one has had a task on it (a query on a workflow the worker
 * does not hold replays its history, as any task does), and is measured: RSS each second for a window, CPU from
 * /proc, V8 heap of every thread from a Node diagnostic report. At the largest size DECISIONS random open
 * requests are approved per configuration: latency of the decision (a workflow Update) and the worker's CPU for
 * it, split by whether the workflow was still in the cache or had been evicted and replayed.
 *
 * Sizes: BENCH_WORKER_MEMORY_SIZES (default 1000,5000,20000), BENCH_WORKER_MEMORY_WINDOW_SECONDS (20),
 * BENCH_WORKER_MEMORY_DECISIONS (200), BENCH_WORKER_MEMORY_CACHE (the app's default),
 * BENCH_WORKER_MEMORY_EXTRA_CACHES (250; more cache sizes beside, comma-separated) and
 * BENCH_WORKER_MEMORY_BUDGET_MINUTES (unlimited): a size whose starts would not fit in what is left of the budget
 * (estimated from the rate measured so far) is skipped and reported as such.
 * Smoke run (about 4 minutes, a minute of it workflows): BENCH_WORKER_MEMORY_SIZES=60,120
 * BENCH_WORKER_MEMORY_WINDOW_SECONDS=2 BENCH_WORKER_MEMORY_DECISIONS=20 BENCH_WORKER_MEMORY_CACHE=20
 * BENCH_WORKER_MEMORY_EXTRA_CACHES=
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { DEFAULT_WORKER_MAX_CACHED_WORKFLOWS } from '../app/config';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../temporal/requests';
import { getStatusQuery } from '../workflows/appointmentRequest';
import { inPool, ManagedProcess, startLocalStack, waitFor, type Stack } from '../test/reliability/harness';
import { aClinician, aPractice, aService } from '../test/fixtures';
import { TEST_CODEC_KEYS } from '../test/support/codecKeys';

const SIZES = (process.env.BENCH_WORKER_MEMORY_SIZES ?? '1000,5000,20000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const WINDOW_SECONDS = Number(process.env.BENCH_WORKER_MEMORY_WINDOW_SECONDS ?? 20);
const DECISIONS = Number(process.env.BENCH_WORKER_MEMORY_DECISIONS ?? 200);
const CHOSEN_CACHE = Number(process.env.BENCH_WORKER_MEMORY_CACHE ?? DEFAULT_WORKER_MAX_CACHED_WORKFLOWS);
/**
 * More cache sizes measured beside the two, smaller ones to show what eviction costs at sizes a short run reaches
 * (at 1,000 open neither the SDK's default nor 1,000 evicts anything).
 */
const EXTRA_CACHES = (process.env.BENCH_WORKER_MEMORY_EXTRA_CACHES ?? '250')
  .split(',')
  .filter(Boolean)
  .map(Number);
const BUDGET_MS = Number(process.env.BENCH_WORKER_MEMORY_BUDGET_MINUTES ?? Infinity) * 60_000;
/** Workflow starts in flight at once, as the reminders benchmark: both cores busy, no start timing out. */
const START_CONCURRENCY = 50;
/** Queries in flight while a fresh worker takes every workflow in: replays are CPU, more would only queue. */
const FILL_CONCURRENCY = 8;
/** Decisions in flight: a few staff deciding at once. */
const DECIDE_CONCURRENCY = 5;
const CLINICIANS = 50;
const PER_DAY = 8;
const DAY_MS = 86_400_000;

const r1 = (x: number) => Math.round(x * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

/** CPU time (user + system, ms, every thread) of one process, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11] + f[12]) * 10;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The SDK 1.24 default with a reused V8 context: what a worker gets when nothing sets the cache. */
function sdkDefaultCache(): { heapLimitMiB: number; maxCachedWorkflows: number } {
  const heapLimitMiB = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  return {
    heapLimitMiB,
    maxCachedWorkflows: Math.max(Math.floor((Math.max(heapLimitMiB - 200, 0) * 600) / 1024), 10),
  };
}

interface Config {
  label: string;
  cache: number;
}

/** A worker process of this bench: app/worker.ts with the stack's settings and its own cache size. */
class BenchWorker {
  readonly process: ManagedProcess;
  private readonly reports = mkdtempSync(join(tmpdir(), 'worker-memory-report-'));

  constructor(
    private readonly stack: Stack,
    readonly config: Config,
  ) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: process.env.TZ,
      NODE_ENV: 'test',
      // info: the bench waits for the worker's "worker running" line.
      LOG_LEVEL: 'info',
      DATA_DIR: join(this.reports, 'data'),
      DATABASE_URL: stack.pg.url,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      RESEND_API_KEY: 're_reliability_key',
      RESEND_BASE_URL: stack.capture.url,
      PUBLIC_URL: 'http://portal.test',
      // Signs the codes in portal links; nothing here follows them.
      AUTH_SECRET: randomBytes(32).toString('hex'),
      TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
      WORKER_MAX_CACHED_WORKFLOWS: String(config.cache),
    };
    // A diagnostic report on SIGUSR2 gives every thread's V8 heap; workflows live in the SDK's worker thread.
    const args = [
      '--report-on-signal',
      '--report-signal=SIGUSR2',
      `--report-directory=${this.reports}`,
      '--import',
      'tsx',
      'app/worker.ts',
    ];
    this.process = new ManagedProcess(`worker-${config.cache}`, process.execPath, args, env, stack.logs);
  }

  get pid(): number {
    return this.process.pid!;
  }

  async start(): Promise<void> {
    const mark = this.stack.logs.mark();
    this.process.start();
    // 'exited' ends the wait at once (waitFor retries a check that throws until its timeout).
    const outcome = await waitFor(
      `the worker (cache ${this.config.cache}) to poll`,
      () => {
        if (!this.process.running) return 'exited';
        return (
          this.stack.logs.since(mark, this.process.name).some((l) => l.includes('worker running')) &&
          'polling'
        );
      },
      { timeoutMs: 180_000 },
    );
    if (outcome === 'exited')
      throw new Error(
        `the worker (cache ${this.config.cache}) exited:\n${this.stack.logs.since(mark, this.process.name).slice(-20).join('\n')}`,
      );
  }

  async stop(): Promise<void> {
    await this.process.kill('SIGTERM');
    rmSync(this.reports, { recursive: true, force: true });
  }

  /** V8 heap in use, MB: the main thread and the workflow thread(s). */
  async heap(): Promise<{ mainMb: number; workflowThreadsMb: number }> {
    const before = new Set(readdirSync(this.reports));
    process.kill(this.pid, 'SIGUSR2');
    const file = await waitFor(
      'the diagnostic report',
      () => readdirSync(this.reports).find((f) => f.endsWith('.json') && !before.has(f)),
      { timeoutMs: 60_000 },
    );
    // Written in one go but not atomically: read until it parses.
    const report = await waitFor('a complete report', () => {
      try {
        return JSON.parse(readFileSync(join(this.reports, file), 'utf8')) as {
          javascriptHeap: { usedMemory: number };
          workers?: { javascriptHeap: { usedMemory: number } }[];
        };
      } catch {
        return null;
      }
    });
    return {
      mainMb: mb(report.javascriptHeap.usedMemory),
      workflowThreadsMb: mb((report.workers ?? []).reduce((s, w) => s + w.javascriptHeap.usedMemory, 0)),
    };
  }
}

interface Window {
  seconds: number;
  rssMeanMb: number;
  rssMaxMb: number;
  cpuPercent: number;
  heapMainMb: number;
  heapWorkflowThreadsMb: number;
  /** The machine's 1-minute load average at the window's end. */
  load: number;
}

/** RSS once a second for `seconds`, CPU over the window, then the V8 heap. */
async function measure(worker: BenchWorker, seconds: number): Promise<Window> {
  const rss: number[] = [];
  const cpu0 = cpuMs(worker.pid);
  const t0 = performance.now();
  for (let i = 0; i < seconds; i++) {
    rss.push(rssMb(worker.pid));
    await sleep(1000);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuMs(worker.pid) - cpu0;
  const heap = await worker.heap();
  return {
    seconds: r1(elapsed),
    rssMeanMb: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length),
    rssMaxMb: Math.max(...rss),
    cpuPercent: r1((cpu / 1000 / elapsed) * 100),
    heapMainMb: heap.mainMb,
    heapWorkflowThreadsMb: heap.workflowThreadsMb,
    load: r1(loadavg()[0]),
  };
}

interface Seeded {
  practiceId: string;
  /** Open request ids, in the order their workflows were started. */
  open: string[];
  clinicianOf: Map<string, string>;
}

async function seedPractice(
  stack: Stack,
): Promise<{ practiceId: string; serviceId: string; clinicians: string[] }> {
  const practice = await aPractice(stack.db, { timeZone: 'UTC' });
  const service = await aService(stack.db, practice, { durationMinutes: 50 });
  const clinicians: string[] = [];
  // Open every day 08:00–17:00 UTC: the bulk slots fall on weekends too, and an approval checks availability.
  const rules = [{ rrule: 'FREQ=DAILY', startTime: '08:00', endTime: '17:00' }];
  for (let i = 0; i < CLINICIANS; i++) clinicians.push((await aClinician(stack.db, practice, { rules })).id);
  return { practiceId: practice.id, serviceId: service.id, clinicians };
}

/**
 * `count` pending requests numbered from `from`, each its own client and time hold, in two statements: the rows a
 * submission leaves, without the API calls this benchmark is not about. The slots start a month ahead, so every
 * request waits out its whole lifetime (a week) and none expires during the run.
 */
async function seedRequests(
  stack: Stack,
  p: { practiceId: string; serviceId: string; clinicians: string[] },
  from: number,
  count: number,
  firstDay: number,
): Promise<{ id: string; clinician_id: string; starts_at: Date; created_at: Date }[]> {
  const replacements = {
    from,
    to: from + count - 1,
    practiceId: p.practiceId,
    serviceId: p.serviceId,
    clinicians: p.clinicians,
    per: CLINICIANS,
    perDay: PER_DAY,
    firstDay: new Date(firstDay),
  };
  await stack.db.sequelize.query(
    `INSERT INTO clients (id, practice_id, first_name, last_name, email)
     SELECT gen_random_uuid(), :practiceId, 'Bench', 'Client ' || g, 'bench-' || g || '@example.test'
       FROM generate_series(:from, :to) AS g`,
    { replacements },
  );
  return stack.db.sequelize.query(
    `WITH numbered AS (
       SELECT id, substring(email FROM 'bench-(\\d+)@')::int AS g FROM clients
        WHERE practice_id = :practiceId AND email LIKE 'bench-%'
     ), slots AS (
       SELECT c.id AS client_id, gen_random_uuid() AS hold_id,
              (ARRAY[:clinicians]::uuid[])[(c.g % :per) + 1] AS clinician_id,
              CAST(:firstDay AS timestamptz) + ((c.g / :per) / :perDay) * interval '1 day'
                + (8 + (c.g / :per) % :perDay) * interval '1 hour' AS starts_at
         FROM numbered c WHERE c.g BETWEEN :from AND :to
     ), holds AS (
       INSERT INTO time_holds (id, clinician_id, during, kind)
       SELECT hold_id, clinician_id, tstzrange(starts_at, starts_at + interval '50 minutes', '[)'), 'request'
         FROM slots
       RETURNING id
     )
     INSERT INTO appointment_requests (practice_id, clinician_id, service_id, client_id, client_time_zone,
                                       starts_at, ends_at, hold_id)
     SELECT :practiceId, s.clinician_id, :serviceId, s.client_id, 'UTC', s.starts_at,
            s.starts_at + interval '50 minutes', h.id
       FROM slots s JOIN holds h ON h.id = s.hold_id
     RETURNING id, clinician_id, starts_at, created_at`,
    { replacements, type: QueryTypes.SELECT },
  );
}

/** Requests whose workflow reached pending and sent both notifications (the capture server saw each once). */
function notified(stack: Stack, ids: Set<string>): number {
  let n = 0;
  for (const e of stack.capture.deliveries()) {
    const key = e.idempotencyKey ?? '';
    if (key.startsWith('request-received/') && ids.has(key.slice('request-received/'.length))) n++;
  }
  return n;
}

interface Growth {
  /** Open request workflows after this step. */
  open: number;
  started: number;
  /** Seconds from the first start to every new workflow pending with both emails sent. */
  settledSeconds: number;
  workflowsPerSecond: number;
}

/** Starts the workflows of `count` new pending requests with `worker` running; waits until all are notified. */
async function grow(
  stack: Stack,
  practice: { practiceId: string; serviceId: string; clinicians: string[] },
  seeded: Seeded,
  count: number,
  firstDay: number,
): Promise<Growth> {
  const rows = await seedRequests(stack, practice, seeded.open.length, count, firstDay);
  const ids = new Set(rows.map((r) => r.id));
  const t0 = performance.now();
  await inPool(rows, START_CONCURRENCY, async (r) => {
    await startRequestWorkflow(
      stack.temporal,
      stack.taskQueue,
      {
        requestId: r.id,
        practiceId: seeded.practiceId,
        clinicianId: r.clinician_id,
        startsAt: new Date(r.starts_at).toISOString(),
        requestedAt: new Date(r.created_at).toISOString(),
        lifetimeHours: 168,
      },
      60_000,
    );
    seeded.clinicianOf.set(r.id, r.clinician_id);
  });
  let shown = 0;
  await waitFor(
    `${count} request workflows to reach pending and send their emails`,
    () => {
      const done = notified(stack, ids);
      const tick = Math.floor((performance.now() - t0) / 30_000);
      if (tick > shown) {
        shown = tick;
        console.log(`  ${done} of ${count} notified after ${Math.round((performance.now() - t0) / 1000)} s`);
      }
      return done >= count;
    },
    { timeoutMs: 4 * 3_600_000, intervalMs: 2_000 },
  );
  const seconds = (performance.now() - t0) / 1000;
  seeded.open.push(...rows.map((r) => r.id));
  return {
    open: seeded.open.length,
    started: count,
    settledSeconds: r1(seconds),
    workflowsPerSecond: r1(count / seconds),
  };
}

interface Fill {
  /** Query round trips while the fresh worker replays each workflow into its cache (ms). */
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  workerCpuMsPerWorkflow: number;
}

/** A task on every open workflow (a query: read-only, replays the history the worker does not hold). */
async function fill(stack: Stack, worker: BenchWorker, ids: string[]): Promise<Fill> {
  const latencies: number[] = [];
  const cpu0 = cpuMs(worker.pid);
  const t0 = performance.now();
  await inPool(ids, FILL_CONCURRENCY, async (id) => {
    const t = performance.now();
    const status = await stack.temporal.workflow.getHandle(requestWorkflowId(id)).query(getStatusQuery);
    latencies.push(performance.now() - t);
    if (status.status !== 'pending') throw new Error(`${id} is ${status.status}, not pending`);
  });
  return {
    p50Ms: r1(percentile(latencies, 50)),
    p99Ms: r1(percentile(latencies, 99)),
    seconds: r1((performance.now() - t0) / 1000),
    workerCpuMsPerWorkflow: r1((cpuMs(worker.pid) - cpu0) / Math.max(ids.length, 1)),
  };
}

interface Decisions {
  decided: number;
  /** Of them, how many the worker still held (the last `cache` queried, least recently used evicted first). */
  inCache: number;
  p50Ms: number;
  p99Ms: number;
  cachedP50Ms: number;
  evictedP50Ms: number;
  evictedP99Ms: number;
  /** Worker CPU from the first decision to the last approval email sent, per decision. */
  workerCpuMsPerDecision: number;
}

/** Approves `n` random open requests: latency of each decision, the worker's CPU for all the work they cause. */
async function decide(
  stack: Stack,
  worker: BenchWorker,
  seeded: Seeded,
  n: number,
  rng: () => number,
): Promise<Decisions> {
  const order = [...seeded.open];
  const cachedFrom = Math.max(order.length - worker.config.cache, 0);
  const position = new Map(order.map((id, i) => [id, i]));
  const picked: string[] = [];
  const pool = [...order];
  while (picked.length < Math.min(n, pool.length)) {
    const i = Math.floor(rng() * pool.length);
    picked.push(pool.splice(i, 1)[0]);
  }
  const cached: number[] = [];
  const evicted: number[] = [];
  const cpu0 = cpuMs(worker.pid);
  await inPool(picked, DECIDE_CONCURRENCY, async (id) => {
    const t = performance.now();
    const answer = await decideRequest(stack.temporal, id, {
      kind: 'approve',
      actorId: seeded.clinicianOf.get(id)!,
    });
    const ms = performance.now() - t;
    if (!answer.ok) throw new Error(`${id} was not approved: ${answer.code}`);
    (position.get(id)! >= cachedFrom ? cached : evicted).push(ms);
  });
  const keys = new Set(picked.map((id) => `request-approved/${id}`));
  await waitFor(
    'every approval email',
    () => stack.capture.deliveries().filter((e) => keys.has(e.idempotencyKey ?? '')).length >= keys.size,
    { timeoutMs: 600_000, intervalMs: 500 },
  );
  const used = cpuMs(worker.pid) - cpu0;
  const decidedSet = new Set(picked);
  seeded.open = seeded.open.filter((id) => !decidedSet.has(id));
  const all = [...cached, ...evicted];
  return {
    decided: picked.length,
    inCache: cached.length,
    p50Ms: r1(percentile(all, 50)),
    p99Ms: r1(percentile(all, 99)),
    cachedP50Ms: r1(percentile(cached, 50)),
    evictedP50Ms: r1(percentile(evicted, 50)),
    evictedP99Ms: r1(percentile(evicted, 99)),
    workerCpuMsPerDecision: r1(used / Math.max(picked.length, 1)),
  };
}

/** A small seeded generator, so the same requests are picked from run to run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Measured {
  label: string;
  cache: number;
  /** Open when this configuration was measured: decisions made with the one before closed some. */
  open: number;
  /** The fresh worker's first task on each open workflow; null with no workflow open. */
  fill: Fill | null;
  window: Window;
  decisions?: Decisions;
}
interface Level {
  open: number;
  growth: Growth | null;
  configs: Measured[];
}
interface Skipped {
  size: number;
  /** What it would have taken at the rate measured, from where the run stopped. */
  estimatedMinutes: number;
}

async function main(): Promise<void> {
  installTemporalRuntime(createLogger('warn'));
  const started = Date.now();
  const loadAtStart = r1(loadavg()[0]);
  console.log('starting the stack (PostgreSQL, Temporal dev server, API)…');
  const stack = await startLocalStack({ logLevel: 'info', worker: false });
  const live = new Set<BenchWorker>();
  try {
    const sdk = sdkDefaultCache();
    const configs: Config[] = [
      { label: `SDK default (today): ${sdk.maxCachedWorkflows}`, cache: sdk.maxCachedWorkflows },
      { label: `WORKER_MAX_CACHED_WORKFLOWS=${CHOSEN_CACHE}`, cache: CHOSEN_CACHE },
      ...EXTRA_CACHES.map((cache) => ({ label: `WORKER_MAX_CACHED_WORKFLOWS=${cache}`, cache })),
    ];
    const run = async <T>(config: Config, fn: (w: BenchWorker) => Promise<T>): Promise<T> => {
      const worker = new BenchWorker(stack, config);
      live.add(worker);
      await worker.start();
      try {
        return await fn(worker);
      } finally {
        await worker.stop();
        live.delete(worker);
      }
    };
    const practice = await seedPractice(stack);
    const seeded: Seeded = { practiceId: practice.practiceId, open: [], clinicianOf: new Map() };
    const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS + 30 * DAY_MS;
    const rng = mulberry32(18);
    const levels: Level[] = [];
    const skipped: Skipped[] = [];

    const measureAll = async (growth: Growth | null, last: boolean): Promise<void> => {
      const level: Level = { open: seeded.open.length, growth, configs: [] };
      for (const config of configs) {
        console.log(`measuring ${config.label} with ${seeded.open.length} open…`);
        level.configs.push(
          await run(config, async (worker) => {
            const open = seeded.open.length;
            const filled = seeded.open.length ? await fill(stack, worker, seeded.open) : null;
            // Let the last replays' garbage go before sampling.
            await sleep(5_000);
            const window = await measure(worker, WINDOW_SECONDS);
            const decisions =
              last && DECISIONS > 0 ? await decide(stack, worker, seeded, DECISIONS, rng) : undefined;
            return { label: config.label, cache: config.cache, open, fill: filled, window, decisions };
          }),
        );
      }
      levels.push(level);
    };

    await measureAll(null, false);
    let rate: number | null = null;
    // Starts at the rate seen so far, then per configuration a fresh worker replaying everything and its window.
    const estimateMs = (count: number, size: number) =>
      rate === null ? 0 : (count / rate) * 1000 + configs.length * (size / 50 + WINDOW_SECONDS + 60) * 1000;
    const remainingMs = () => BUDGET_MS - (Date.now() - started);
    const skip = (from: number) => {
      for (const later of SIZES.slice(from))
        skipped.push({
          size: later,
          estimatedMinutes: Math.round(estimateMs(later - seeded.open.length, later) / 60_000),
        });
    };
    for (const [i, size] of SIZES.entries()) {
      const count = size - seeded.open.length;
      if (count <= 0) continue;
      if (estimateMs(count, size) > remainingMs()) {
        skip(i);
        break;
      }
      console.log(`starting ${count} request workflows (${START_CONCURRENCY} at a time)…`);
      const growth = await run(configs[0], () => grow(stack, practice, seeded, count, firstDay));
      rate = growth.workflowsPerSecond;
      const next = SIZES[i + 1];
      // The decisions close requests, so they come at the last size this run will reach.
      const last =
        next === undefined ||
        estimateMs(next - size, next) >
          remainingMs() - estimateMs(0, size) - configs.length * DECISIONS * 1000;
      await measureAll(growth, last);
      if (last) {
        skip(i + 1);
        break;
      }
    }
    report({
      sdk,
      chosen: CHOSEN_CACHE,
      loadAtStart,
      minutes: r1((Date.now() - started) / 60_000),
      levels,
      skipped,
    });
  } catch (err) {
    // Said before the stack stops: a client retrying on a closed channel may end the process first.
    console.error(err);
    process.exitCode = 1;
  } finally {
    for (const w of live) await w.stop().catch(() => {});
    await stack.stop();
  }
}

interface Report {
  sdk: { heapLimitMiB: number; maxCachedWorkflows: number };
  chosen: number;
  loadAtStart: number;
  minutes: number;
  levels: Level[];
  skipped: Skipped[];
}

/**
 * RSS at n open workflows from the figures: the idle worker plus the slope per cached workflow, since a worker
 * holds min(n, cache) of them and nothing for the rest.
 */
function slopes(r: Report): { label: string; cache: number; idleMb: number; mbPerCached: number | null }[] {
  const idle = r.levels[0];
  return idle.configs.map((c, k) => {
    const points = r.levels
      .slice(1)
      .map((l) => ({ held: Math.min(l.configs[k].open, c.cache), rss: l.configs[k].window.rssMeanMb }))
      .filter((p) => p.held > 0);
    const best = points.at(-1);
    return {
      label: c.label,
      cache: c.cache,
      idleMb: c.window.rssMeanMb,
      mbPerCached: best ? Math.round(((best.rss - c.window.rssMeanMb) / best.held) * 1000) / 1000 : null,
    };
  });
}

function report(r: Report): void {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const fmt = (n: number) => n.toLocaleString('en-US');
  const s = slopes(r);
  const projected = (k: number, n: number) =>
    s[k].mbPerCached === null ? NaN : Math.round(s[k].idleMb + Math.min(n, s[k].cache) * s[k].mbPerCached);
  const header = `| open request workflows | ${r.levels[0].configs.map((c) => c.label).join(' | ')} |`;
  const sep = `|---|${r.levels[0].configs.map(() => '---:').join('|')}|`;
  const memoryRows = r.levels.flatMap((l) => [
    `| **${fmt(l.open)}** RSS mean / max (MB) | ${l.configs.map((m) => `**${m.window.rssMeanMb}** / ${m.window.rssMaxMb}`).join(' | ')} |`,
    `| ${fmt(l.open)}: V8 heap used, main / workflow thread (MB) | ${l.configs.map((m) => `${m.window.heapMainMb} / ${m.window.heapWorkflowThreadsMb}`).join(' | ')} |`,
    `| ${fmt(l.open)}: open / held (at most) | ${l.configs.map((m) => `${fmt(m.open)} / ${fmt(Math.min(m.open, m.cache))}`).join(' | ')} |`,
    `| ${fmt(l.open)}: idle CPU in the window (% of one core) | ${l.configs.map((m) => m.window.cpuPercent).join(' | ')} |`,
    ...(l.open
      ? [
          `| ${fmt(l.open)}: first task on each (query) p50 / p99 (ms) | ${l.configs.map((m) => `${m.fill!.p50Ms} / ${m.fill!.p99Ms}`).join(' | ')} |`,
          `| ${fmt(l.open)}: worker CPU per replayed workflow (ms) | ${l.configs.map((m) => m.fill!.workerCpuMsPerWorkflow).join(' | ')} |`,
        ]
      : []),
    `| ${fmt(l.open)}: machine load (1 min) after the window | ${l.configs.map((m) => m.window.load).join(' | ')} |`,
  ]);
  const last = r.levels.at(-1)!;
  const decided = last.configs.every((c) => c.decisions);
  const decisionRows = decided
    ? [
        `| decisions (approvals) | ${last.configs.map((c) => c.decisions!.decided).join(' | ')} |`,
        `| of them still in the cache | ${last.configs.map((c) => c.decisions!.inCache).join(' | ')} |`,
        `| latency p50 / p99 (ms) | ${last.configs.map((c) => `${c.decisions!.p50Ms} / ${c.decisions!.p99Ms}`).join(' | ')} |`,
        `| latency p50, cached workflow (ms) | ${last.configs.map((c) => c.decisions!.cachedP50Ms).join(' | ')} |`,
        `| latency p50 / p99, evicted workflow (ms) | ${last.configs.map((c) => `${c.decisions!.evictedP50Ms} / ${c.decisions!.evictedP99Ms}`).join(' | ')} |`,
        `| worker CPU per decision, to the approval email (ms) | ${last.configs.map((c) => c.decisions!.workerCpuMsPerDecision).join(' | ')} |`,
      ]
    : [];
  const growthLines = r.levels
    .filter((l) => l.growth)
    .map(
      (l) =>
        `- to ${fmt(l.open)} open: ${fmt(l.growth!.started)} workflows started and pending with both emails sent in ${l.growth!.settledSeconds} s (${l.growth!.workflowsPerSecond} workflows/s)`,
    );
  const targets = [1000, 5000, 20000];
  const projection = [
    `| open request workflows | ${s.map((x) => x.label).join(' | ')} |`,
    `|---|${s.map(() => '---:').join('|')}|`,
    ...targets.map(
      (n) =>
        `| ${fmt(n)}${r.levels.some((l) => l.open === n) ? ' (measured above)' : ''} | ${s.map((_, k) => projected(k, n)).join(' | ')} |`,
    ),
  ];
  const md = [
    '# Worker memory benchmark: open request workflows and the workflow cache',
    '',
    `Produced by \`npm run bench\` (bench/workerMemory.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node};`,
    `load average (1 min) ${r.loadAtStart} at the start: the machine is shared with other benchmarks, so CPU and`,
    `latency figures carry their noise (memory does not). The run took ${r.minutes} minutes.`,
    '',
    'One stack (embedded PostgreSQL, the Temporal CLI dev server on SQLite, the API) and `node app/worker.ts` started',
    'by the bench, one configuration at a time, side by side at each size: the cache the SDK picks today',
    `(${fmt(r.sdk.maxCachedWorkflows)} for this Node's ${fmt(r.sdk.heapLimitMiB)} MiB heap limit) and the app's`,
    `WORKER_MAX_CACHED_WORKFLOWS=${fmt(r.chosen)}. Pending requests are written in bulk SQL and their workflows started`,
    `(${START_CONCURRENCY} in flight) until each is pending with both emails sent. Then each configuration gets a fresh`,
    'worker that answers a query on every open workflow (a task on each: the worker replays the history of every one it',
    'does not hold and keeps the most recent in its cache), and is sampled for',
    `${r.levels[0].configs[0].window.seconds} s (RSS each second, V8 heap from a diagnostic report).`,
    '',
    `${header.replace('open request workflows', 'measure')}`,
    sep,
    ...memoryRows,
    '',
    ...growthLines,
    ...(r.skipped.length
      ? [
          '',
          `Not measured: ${r.skipped.map((x) => fmt(x.size)).join(', ')} open workflows (starting and measuring them at the`,
          `rate measured here would take about ${r.skipped.map((x) => `${x.estimatedMinutes} min`).join(', ')} more,`,
          'past the time this run had). The projection below stands in for them.',
        ]
      : []),
    '',
    '## RSS per configuration, measured and projected',
    '',
    "A worker holds at most `cache` workflows and nothing for the others (they live in the server's history), so",
    'RSS ≈ idle RSS + min(open, cache) × MB per cached workflow, the slope taken from the largest size measured:',
    '',
    ...s.map(
      (x) => `- ${x.label}: idle ${x.idleMb} MB, ${x.mbPerCached ?? 'n/a'} MB per cached request workflow`,
    ),
    '',
    ...projection,
    '',
    ...(decided
      ? [
          `## Decisions at ${fmt(last.open)} open: what eviction costs`,
          '',
          `${last.configs[0].decisions!.decided} random open requests approved per configuration (${DECIDE_CONCURRENCY} at a time, a workflow`,
          'Update each, answered once the approval is written); "still in the cache" follows the cache\'s least-recently-used',
          'order after the fill. An evicted workflow first replays its history on the worker, then runs the decision.',
          'The configurations decide different requests, so the second is measured with those the first approved closed.',
          '',
          `| measure | ${last.configs.map((c) => c.label).join(' | ')} |`,
          `|---|${last.configs.map(() => '---:').join('|')}|`,
          ...decisionRows,
          '',
        ]
      : []),
    '## The trade-off',
    '',
    'A cached workflow costs memory for as long as it is open (a request: up to its lifetime, a week); an evicted one',
    'costs nothing until its next task (a decision, a withdrawal, its deadline), which then first replays its history',
    '(the "worker CPU per replayed workflow" row: the whole history of a pending request, a few dozen events). A request',
    'gets two or three tasks after it is pending, days apart, so a cache far smaller than the open count costs a replay',
    'per decision and saves the memory of every idle workflow all week.',
    '',
    'Sizes: BENCH_WORKER_MEMORY_SIZES, BENCH_WORKER_MEMORY_WINDOW_SECONDS, BENCH_WORKER_MEMORY_DECISIONS,',
    'BENCH_WORKER_MEMORY_CACHE, BENCH_WORKER_MEMORY_EXTRA_CACHES and BENCH_WORKER_MEMORY_BUDGET_MINUTES (see the',
    "file's header).",
    '',
  ].join('\n');
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  writeFileSync(
    join(outDir, 'workerMemory.json'),
    `${JSON.stringify({ machine, ...r, slopes: s }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, 'workerMemory.md'), md);
  console.log(md);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
