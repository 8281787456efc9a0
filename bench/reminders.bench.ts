/**
 * Reminders benchmark (issue 15): what appointment workflows waiting on their reminder timers cost the worker and
 * the Temporal server. One run, one stack (embedded PostgreSQL, the Temporal CLI dev server on a SQLite file,
 * `node app/worker.ts`, `node app/api.ts`), measured side by side:
 *   1. a window with no appointment workflow at all;
 *   2. starting APPOINTMENTS appointmentWorkflows, one per scheduled appointment (rows made in bulk SQL), with
 *      bounded concurrency, until every one has planned its reminders and sleeps on its timer;
 *   3. the same window again with all of them waiting.
 * Each window samples the worker's and the server's RSS every second and their CPU time from /proc.
 * Sizes: BENCH_REMINDER_APPOINTMENTS (default 10000), BENCH_REMINDER_WINDOW_SECONDS (default 60).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { inPool, startLocalStack, waitFor, type Stack } from '../test/reliability/harness';
import { aPractice, aService, aStaffUser } from '../test/fixtures';
import { appointmentWorkflowId, appointmentWorkflowType } from '../booking/rules/reminders';

const APPOINTMENTS = Number(process.env.BENCH_REMINDER_APPOINTMENTS ?? 10_000);
const WINDOW_SECONDS = Number(process.env.BENCH_REMINDER_WINDOW_SECONDS ?? 60);
/** Workflow starts in flight at once: enough to keep both cores busy, few enough not to time out on them. */
const START_CONCURRENCY = 50;
/** Appointments per clinician per day (hourly from 08:00 UTC), so 10,000 spread over a few weeks of 50 clinicians. */
const CLINICIANS = 50;
const PER_DAY = 8;
const DAY_MS = 86_400_000;

const r1 = (x: number) => Math.round(x * 10) / 10;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

/** CPU time (user + system, ms) of one process, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11] + f[12]) * 10;
}

interface ProcessFigures {
  rssMeanMb: number;
  rssMaxMb: number;
  cpuMs: number;
  /** Average share of one core over the window, in percent. */
  cpuPercent: number;
}
interface Window {
  seconds: number;
  /** The machine's 1-minute load average at the window's end: what else was running shows here. */
  load: number;
  worker: ProcessFigures;
  temporal: ProcessFigures;
}

/** Samples both processes for `seconds`: RSS once a second, CPU time between the first and the last reading. */
async function measure(stack: Stack, seconds: number): Promise<Window> {
  const pids = { worker: stack.worker.pid!, temporal: stack.temporalServer.pid! };
  const rss = { worker: [] as number[], temporal: [] as number[] };
  const cpu0 = { worker: cpuMs(pids.worker), temporal: cpuMs(pids.temporal) };
  const t0 = performance.now();
  for (let i = 0; i < seconds; i++) {
    rss.worker.push(rssMb(pids.worker));
    rss.temporal.push(rssMb(pids.temporal));
    await sleep(1000);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const figures = (k: 'worker' | 'temporal'): ProcessFigures => {
    const used = cpuMs(pids[k]) - cpu0[k];
    return {
      rssMeanMb: Math.round(rss[k].reduce((a, b) => a + b, 0) / rss[k].length),
      rssMaxMb: Math.max(...rss[k]),
      cpuMs: used,
      cpuPercent: r1((used / 1000 / elapsed) * 100),
    };
  };
  return {
    seconds: r1(elapsed),
    load: r1(loadavg()[0]),
    worker: figures('worker'),
    temporal: figures('temporal'),
  };
}

/**
 * One practice, CLINICIANS clinicians and n scheduled appointments (each its own client and time hold), written
 * in three statements: the rows a booking leaves, without n API calls the benchmark is not about. The first starts
 * a week ahead, so no reminder falls due during the run and every workflow sleeps on its timer.
 */
async function seed(stack: Stack, n: number): Promise<string[]> {
  const practice = await aPractice(stack.db, { timeZone: 'UTC' });
  const service = await aService(stack.db, practice, { durationMinutes: 50 });
  const clinicians: string[] = [];
  for (let i = 0; i < CLINICIANS; i++) clinicians.push((await aStaffUser(stack.db, practice)).id);
  const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS + 7 * DAY_MS;
  const replacements = {
    n,
    practiceId: practice.id,
    serviceId: service.id,
    clinicians,
    per: CLINICIANS,
    perDay: PER_DAY,
    firstDay: new Date(firstDay),
  };
  await stack.db.sequelize.query(
    `INSERT INTO clients (id, practice_id, first_name, last_name, email)
     SELECT gen_random_uuid(), :practiceId, 'Bench', 'Client ' || g, 'bench-' || g || '@example.test'
       FROM generate_series(1, :n) AS g`,
    { replacements },
  );
  const ids = await stack.db.sequelize.query<{ id: string }>(
    `WITH clients_in_order AS (
       SELECT id, row_number() OVER (ORDER BY email) - 1 AS g FROM clients WHERE practice_id = :practiceId
     ), slots AS (
       SELECT c.id AS client_id, gen_random_uuid() AS hold_id,
              (ARRAY[:clinicians]::uuid[])[(c.g % :per) + 1] AS clinician_id,
              CAST(:firstDay AS timestamptz) + ((c.g / :per) / :perDay) * interval '1 day'
                + (8 + (c.g / :per) % :perDay) * interval '1 hour' AS starts_at
         FROM clients_in_order c
     ), holds AS (
       INSERT INTO time_holds (id, clinician_id, during, kind)
       SELECT hold_id, clinician_id, tstzrange(starts_at, starts_at + interval '50 minutes', '[)'), 'appointment'
         FROM slots
       RETURNING id
     )
     INSERT INTO appointments (practice_id, clinician_id, service_id, client_id, starts_at, ends_at,
                               cancellation_policy, hold_id)
     SELECT :practiceId, s.clinician_id, :serviceId, s.client_id, s.starts_at, s.starts_at + interval '50 minutes',
            '24h', h.id
       FROM slots s JOIN holds h ON h.id = s.hold_id
     RETURNING id`,
    { replacements, type: QueryTypes.SELECT },
  );
  return ids.map((r) => r.id);
}

/** Workflows that have planned their reminders: the workflow upserts BookingStatus in the task that starts its timer. */
const waiting = async (stack: Stack) =>
  (
    await stack.temporal.workflow.count(
      `WorkflowType = '${appointmentWorkflowType}' AND ExecutionStatus = 'Running' AND BookingStatus = 'scheduled'`,
    )
  ).count;

async function main(): Promise<void> {
  // The SDK's own log lines, below warn, stay out of the benchmark's output.
  installTemporalRuntime(createLogger('warn'));
  console.log('starting the stack (PostgreSQL, Temporal dev server, worker, API)…');
  // info: the harness waits for the worker's "worker running" line.
  const stack = await startLocalStack({ logLevel: 'info' });
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

async function run(stack: Stack): Promise<void> {
  console.log(`seeding ${APPOINTMENTS} scheduled appointments in bulk…`);
  const ids = await seed(stack, APPOINTMENTS);
  // Let start-up work (bundling, the first polls) settle before the first window.
  await sleep(10_000);

  console.log(`measuring ${WINDOW_SECONDS} s with no appointment workflow…`);
  const none = await measure(stack, WINDOW_SECONDS);

  console.log(`starting ${ids.length} appointment workflows (${START_CONCURRENCY} at a time)…`);
  const pids = { worker: stack.worker.pid!, temporal: stack.temporalServer.pid! };
  const cpu0 = { worker: cpuMs(pids.worker), temporal: cpuMs(pids.temporal) };
  const t0 = performance.now();
  await inPool(ids, START_CONCURRENCY, async (appointmentId) => {
    await stack.temporal.workflow.start(appointmentWorkflowType, {
      workflowId: appointmentWorkflowId(appointmentId),
      taskQueue: stack.taskQueue,
      args: [{ appointmentId }],
    });
  });
  const startedSeconds = (performance.now() - t0) / 1000;
  let shown = 0;
  await waitFor(
    'every workflow to wait on its reminder timer',
    async () => {
      const now = await waiting(stack);
      // A line every 30 s or so: a long wait on a busy machine should look alive.
      const elapsed = Math.floor((performance.now() - t0) / 30_000);
      if (elapsed > shown) {
        shown = elapsed;
        console.log(
          `  ${now} of ${ids.length} waiting after ${Math.round((performance.now() - t0) / 1000)} s`,
        );
      }
      return now >= ids.length;
    },
    // On two shared cores about 10 workflows a second settle after the starts: 10,000 take 20 minutes or more.
    { timeoutMs: 3_600_000, intervalMs: 2_000 },
  );
  const settledSeconds = (performance.now() - t0) / 1000;
  const startCpu = {
    worker: cpuMs(pids.worker) - cpu0.worker,
    temporal: cpuMs(pids.temporal) - cpu0.temporal,
  };
  // The workflow tasks are done; what is left is what waiting costs.
  await sleep(10_000);

  console.log(`measuring ${WINDOW_SECONDS} s with ${ids.length} workflows waiting…`);
  const withTimers = await measure(stack, WINDOW_SECONDS);
  const stillWaiting = await waiting(stack);

  report({
    workerCacheLimit: defaultWorkflowCache(),
    appointments: ids.length,
    none,
    withTimers,
    stillWaiting,
    start: {
      startedSeconds: r1(startedSeconds),
      settledSeconds: r1(settledSeconds),
      workerCpuMsPerWorkflow: r1(startCpu.worker / ids.length),
      temporalCpuMsPerWorkflow: r1(startCpu.temporal / ids.length),
    },
  });
}

/**
 * How many workflows the worker keeps in its sticky cache: app/worker.ts leaves maxCachedWorkflows to the SDK, whose
 * default (1.24, reused V8 context) is derived from the heap limit; the worker runs on this Node with its defaults.
 */
function defaultWorkflowCache(): { heapLimitMiB: number; maxCachedWorkflows: number } {
  const heapLimitMiB = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  return {
    heapLimitMiB,
    maxCachedWorkflows: Math.max(Math.floor((Math.max(heapLimitMiB - 200, 0) * 600) / 1024), 10),
  };
}

interface Report {
  workerCacheLimit: { heapLimitMiB: number; maxCachedWorkflows: number };
  appointments: number;
  none: Window;
  withTimers: Window;
  stillWaiting: number;
  start: {
    startedSeconds: number;
    settledSeconds: number;
    workerCpuMsPerWorkflow: number;
    temporalCpuMsPerWorkflow: number;
  };
}

function report(r: Report): void {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const n = r.appointments.toLocaleString('en-US');
  const row = (label: string, f: (w: Window) => number) => `| ${label} | ${f(r.none)} | ${f(r.withTimers)} |`;
  const fig = (k: 'worker' | 'temporal') => {
    const name = k === 'worker' ? 'worker' : 'Temporal server';
    return [
      row(`${name} RSS, mean (MB)`, (w) => w[k].rssMeanMb),
      row(`${name} RSS, max (MB)`, (w) => w[k].rssMaxMb),
      row(`${name} CPU (% of one core)`, (w) => w[k].cpuPercent),
      row(`${name} CPU time in the window (ms)`, (w) => w[k].cpuMs),
    ];
  };
  const md = [
    '# Reminders benchmark: appointment workflows waiting on their timers',
    '',
    `Produced by \`npm run bench\` (bench/reminders.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}.`,
    'One run, one stack: embedded PostgreSQL, the Temporal CLI dev server on a SQLite file, `node app/worker.ts` and',
    '`node app/api.ts`, each its own process on this one machine. The same stack is measured for the same window',
    `(${r.none.seconds} s, RSS sampled each second, CPU time from /proc) first with no appointment workflow, then with`,
    `${n} scheduled appointments (rows written in bulk SQL, 50 clinicians, starting a week ahead) each running`,
    'appointmentWorkflow and asleep on its reminder timer (verified by the BookingStatus search attribute the',
    'workflow sets in the task that starts the timer).',
    '',
    `| measure | no appointment workflows | ${n} waiting on reminder timers |`,
    '|---|---:|---:|',
    ...fig('worker'),
    ...fig('temporal'),
    row('machine load average (1 min) at the end', (w) => w.load),
    '',
    `Still waiting at the end: ${r.stillWaiting.toLocaleString('en-US')} of ${n}.`,
    '',
    `Getting there: ${n} starts (${START_CONCURRENCY} in flight) took ${r.start.startedSeconds} s; every workflow had`,
    `planned its reminders and slept after ${r.start.settledSeconds} s. CPU per workflow for that (start, the plan`,
    `activity's database read, the timer): worker ${r.start.workerCpuMsPerWorkflow} ms, Temporal server`,
    `${r.start.temporalCpuMsPerWorkflow} ms.`,
    '',
    `The worker keeps at most ${r.workerCacheLimit.maxCachedWorkflows.toLocaleString('en-US')} workflows in its sticky cache`,
    `(the SDK's default for a ${r.workerCacheLimit.heapLimitMiB} MiB heap limit; app/worker.ts does not set it), so it`,
    `holds at most that many of the ${n} in memory; the others live only in the server's database and are replayed`,
    'from their history when their timers fire (the cost of that replay is not measured here).',
    '',
    'The whole run takes about 20 minutes on this 2-core machine, almost all of it the starts and first workflow',
    'tasks; BENCH_REMINDER_APPOINTMENTS and BENCH_REMINDER_WINDOW_SECONDS size it down for a quick look.',
    '',
  ].join('\n');
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  writeFileSync(join(outDir, 'reminders.json'), `${JSON.stringify({ machine, ...r }, null, 2)}\n`);
  writeFileSync(join(outDir, 'reminders.md'), md);
  console.log(md);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
