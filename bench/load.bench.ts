/**
 * Load benchmark of the whole local stack, each part its own process as in production: embedded PostgreSQL, the
 * Temporal dev server on a SQLite file, `node app/worker.ts`, `node app/api.ts`, and a Resend-compatible capture
 * server in this process. Measures, in one run:
 *   1. request submissions per second and p50/p99 latency at 10, 50 and 100 concurrent clients, each level side by
 *      side with the floor (bench/baseline/submitFloor.ts: one insert plus one workflow start, as a bare loop);
 *   2. the time from an approve call to the confirmation email at the capture server;
 *   3. the worker's memory (RSS) with OPEN_WORKFLOWS request workflows open;
 *   4. the availability endpoint over HTTP (one clinician, 7 days);
 *   5. what a request costs Temporal until it is pending with both notices sent: its history's events, workflow
 *      tasks and activity tasks (test/support/historyCost.ts), from a sample of each level's requests.
 * Sizes: BENCH_SECONDS (per level, default 10), BENCH_OPEN_WORKFLOWS (default 5000; 0 adds none, and the memory
 * figure is for the requests the run left open), BENCH_APPROVALS (default 100), BENCH_HISTORY_SAMPLE (histories read
 * per level, default 20).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { QueryTypes } from 'sequelize';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { aWorld, startLocalStack, waitFor, type Stack, type World } from '../test/reliability/harness';
import { createSubmitFloor } from './baseline/submitFloor';
import { requestWorkflowId } from '../temporal/requests';
import { historyCost, meanCost, type HistoryCost } from '../test/support/historyCost';
import { postgresCpuMs, processCpuMs } from './support/processCpu';
import { benchSubmission, VerifiedAddresses } from './support/verifiedAddresses';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OPEN_WORKFLOWS = Number(process.env.BENCH_OPEN_WORKFLOWS ?? 5000);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 100);
const HISTORY_SAMPLE = Number(process.env.BENCH_HISTORY_SAMPLE ?? 20);
const LEVELS = [10, 50, 100];
const API_POOL = 10; // the API's pool size (models/db.ts default)

const quantile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

// New-client addresses verified ahead of each measured run (bench/support/verifiedAddresses.ts).
let verified: VerifiedAddresses | undefined;

/** Verifies enough fresh addresses for up to `submissions` submissions (unused codes would expire meanwhile). */
async function verifyAhead(stack: Stack, world: World, submissions: number): Promise<void> {
  verified = await VerifiedAddresses.verify({
    http: stack.http,
    capture: stack.capture,
    slug: world.practice.slug,
    submissions,
  });
}

type CpuShare = { perOpMs: Cpu; coresBusy: number };
type StackRow = CpuShare & {
  /** CPU ms per request from the level's start until the worker had sent every notice of its requests. */
  drainedPerOpMs: Cpu;
  /** Mean history cost of a sample of the level's requests, once each was pending with both notices sent. */
  history: ReturnType<typeof meanCost>;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  drainSeconds: number;
};
type FloorRow = CpuShare & { rps: number; p50: number; p99: number; ops: number };
type Level = { clients: number; floor: FloorRow; stack: StackRow };

/** Submissions through HTTP with autocannon: by duration (seconds) or by count (amount). */
async function submitLoad(
  stack: Stack,
  world: World,
  opts: { connections: number; seconds?: number; amount?: number },
) {
  const ids: string[] = [];
  const result = await autocannon({
    url: stack.apiUrl,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: `/portal/${world.practice.slug}/requests`,
        setupRequest: (req) => ({ ...req, ...benchSubmission(world, verified!) }),
        onResponse: (status, body) => {
          if (status === 201) ids.push((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  });
  return { result, ids };
}

/**
 * The mean history cost of up to HISTORY_SAMPLE of these requests, read while they wait for a decision (pending, both
 * notices sent): spread over the level, so requests from its start, middle and end count alike.
 */
async function historySample(stack: Stack, ids: string[]) {
  const step = Math.max(1, Math.floor(ids.length / HISTORY_SAMPLE));
  const sample = ids.filter((_, i) => i % step === 0).slice(0, HISTORY_SAMPLE);
  const costs: HistoryCost[] = [];
  for (const id of sample) {
    const handle = stack.temporal.workflow.getHandle(requestWorkflowId(id));
    // The emails are out a moment before the workflow task that reads their step's result starts its timer.
    const history = await waitFor(
      'the request to wait for a decision',
      async () => {
        const h = await handle.fetchHistory();
        return h.events?.some((e) => e.timerStartedEventAttributes) ? h : null;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    costs.push(historyCost(history));
  }
  return meanCost(costs);
}

/** Waits until the worker has caught up: both notification emails of every submitted request delivered. */
async function quiesce(stack: Stack, submitted: number, timeoutMs = 300_000) {
  const t0 = performance.now();
  await waitFor(
    'the worker to catch up',
    () =>
      stack.capture.deliveries().filter((e) => /^request-(new|received)\//.test(e.idempotencyKey ?? ''))
        .length >=
      2 * submitted,
    { timeoutMs, intervalMs: 500 },
  );
  return (performance.now() - t0) / 1000;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

type Cpu = { api: number; worker: number; temporal: number; postgres: number; bench: number };

/** CPU used so far by each part of the stack and by this process (the load generator and the floor). */
function cpuNow(stack: Stack): Cpu {
  const own = process.cpuUsage();
  return {
    api: processCpuMs(stack.api.pid),
    worker: processCpuMs(stack.worker.pid),
    temporal: processCpuMs(stack.temporalServer.pid),
    // Live backends, plus the postmaster's reaped children: a backend that exits moves its time there.
    postgres: postgresCpuMs(stack.pg.pid),
    bench: (own.user + own.system) / 1000,
  };
}

/** CPU ms per operation for each part between two readings, and how many cores were busy on average. */
function cpuPerOp(before: Cpu, after: Cpu, ops: number, seconds: number) {
  const keys = Object.keys(before) as (keyof Cpu)[];
  const per = Object.fromEntries(keys.map((k) => [k, r1((after[k] - before[k]) / Math.max(ops, 1))])) as Cpu;
  const total = keys.reduce((sum, k) => sum + after[k] - before[k], 0);
  return { perOpMs: per, coresBusy: Math.round((total / 1000 / seconds) * 100) / 100 };
}

async function main(): Promise<void> {
  // The SDK's own log lines, below warn, stay out of the benchmark's output.
  installTemporalRuntime(createLogger('warn'));
  console.log('starting the stack (PostgreSQL, Temporal dev server, worker, API, capture server)…');
  // The availability figure is the endpoint's own throughput from one address: its per-address limit is off.
  const stack = await startLocalStack({ logLevel: 'info', env: { AVAILABILITY_PER_MINUTE: '0' } });
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

const loadAverageAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

async function run(stack: Stack): Promise<void> {
  const world = await aWorld(stack, { clinicians: 50, firstDayOffset: 3 });
  const workerPid = stack.worker.pid!;
  const rssIdle = rssMb(workerPid);
  const floor = await createSubmitFloor({
    databaseUrl: stack.pg.url,
    temporal: stack.temporal,
    poolMax: API_POOL,
  });
  let submitted = 0;
  const allIds: string[] = [];

  // Warm-up: JIT, pools, the first workflow tasks; then let the worker drain.
  // Upper bounds of what each run can submit (about three times the rates measured so far).
  await verifyAhead(stack, world, 3 * 150);
  const warm = await submitLoad(stack, world, { connections: 10, seconds: 3 });
  submitted += warm.ids.length;
  allIds.push(...warm.ids);
  await floor.run(10, 2_000);
  await quiesce(stack, submitted);

  const levels: Level[] = [];
  const stackRun = async (clients: number, paused = false) => {
    await verifyAhead(stack, world, SECONDS * (paused ? 250 : 150));
    if (paused) process.kill(workerPid, 'SIGSTOP');
    const before = cpuNow(stack);
    const { result, ids } = await submitLoad(stack, world, { connections: clients, seconds: SECONDS });
    const cpu = cpuPerOp(before, cpuNow(stack), ids.length, result.duration);
    if (paused) process.kill(workerPid, 'SIGCONT');
    submitted += ids.length;
    allIds.push(...ids);
    const drainSeconds = await quiesce(stack, submitted);
    // The whole cost of the level's requests, the workflows and emails the worker ran after the window included.
    const drained = cpuPerOp(before, cpuNow(stack), ids.length, result.duration + drainSeconds);
    const history = await historySample(stack, ids);
    return {
      history,
      drainedPerOpMs: drained.perOpMs,
      rps: r1(ids.length / result.duration),
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: ids.length,
      other: result.non2xx + result.errors + result.timeouts,
      drainSeconds: r1(drainSeconds),
      ...cpu,
    };
  };
  for (const clients of LEVELS) {
    const before = cpuNow(stack);
    const f = await floor.run(clients, SECONDS * 1000);
    const floorCpu = cpuPerOp(before, cpuNow(stack), f.ops, f.seconds);
    const floorRow = {
      rps: r1(f.ops / f.seconds),
      p50: r1(quantile(f.latenciesMs, 0.5)),
      p99: r1(quantile(f.latenciesMs, 0.99)),
      ops: f.ops,
      ...floorCpu,
    };
    levels.push({ clients, floor: floorRow, stack: await stackRun(clients) });
    console.log(`  ${clients} clients: stack ${levels.at(-1)!.stack.rps} req/s, floor ${floorRow.rps} ops/s`);
  }
  // Diagnosis: the same load with the worker stopped (SIGSTOP), so the submission path runs alone.
  const paused = await stackRun(50, true);
  console.log(`  50 clients, worker paused: stack ${paused.rps} req/s`);
  await floor.close();

  // Approve → confirmation email at the provider, one approval at a time (clinicians' clicks are not a flood).
  const approveMs: number[] = [];
  for (const id of allIds.slice(0, APPROVALS)) {
    const t0 = performance.now();
    const email = stack.capture.waitFor((e) => e.idempotencyKey === `request-approved/${id}`, 60_000);
    const res = await stack.http.post(`/api/appointment-requests/${id}/approve`, undefined, {
      token: world.adminToken,
    });
    if (res.status !== 200) throw new Error(`approve ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    await email;
    approveMs.push(performance.now() - t0);
  }

  // Availability over HTTP: one clinician (with requests of this run on the calendar), 7 days, the stack at rest.
  await sleep(3_000);
  const from = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 3 * 86_400_000);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const query = new URLSearchParams({
    clinicianId: world.clinicians[0].id,
    serviceId: world.service.id,
    from: from.toISOString(),
    to: to.toISOString(),
  });
  const probe = await stack.http.get(`/portal/${world.practice.slug}/availability?${query}`);
  if (probe.status !== 200) throw new Error(`availability: ${probe.status} ${JSON.stringify(probe.body)}`);
  await autocannon({
    url: `${stack.apiUrl}/portal/${world.practice.slug}/availability?${query}`,
    connections: 10,
    duration: 2,
  });
  const availabilityBefore = cpuNow(stack);
  const availability = await autocannon({
    url: `${stack.apiUrl}/portal/${world.practice.slug}/availability?${query}`,
    connections: 50,
    duration: SECONDS,
  });

  const availabilityCpu = cpuPerOp(
    availabilityBefore,
    cpuNow(stack),
    availability.requests.total,
    availability.duration,
  );

  // Open workflows: every pending request has one, waiting for a decision.
  const pending = async () =>
    Number(
      (
        await stack.db.sequelize.query<{ n: string }>(
          "SELECT count(*) AS n FROM appointment_requests WHERE status = 'pending'",
          {
            type: QueryTypes.SELECT,
          },
        )
      )[0].n,
    );
  const topUp = OPEN_WORKFLOWS - (await pending());
  if (topUp > 0) {
    await verifyAhead(stack, world, topUp);
    const { ids } = await submitLoad(stack, world, { connections: 50, amount: topUp });
    submitted += ids.length;
  }
  await quiesce(stack, submitted, 600_000);
  await sleep(5_000);
  const open = await pending();
  let running: number | null = null;
  try {
    running = (
      await stack.temporal.workflow.count(
        "WorkflowType = 'appointmentRequestWorkflow' AND ExecutionStatus = 'Running'",
      )
    ).count;
  } catch {
    running = null;
  }
  const rssOpen = rssMb(workerPid);

  report({
    levels,
    paused,
    approve: { n: approveMs.length, p50: r1(quantile(approveMs, 0.5)), p99: r1(quantile(approveMs, 0.99)) },
    memory: { idleMb: rssIdle, openMb: rssOpen, openRequests: open, runningWorkflows: running },
    availability: {
      rps: r1(availability.requests.average),
      p50: availability.latency.p50,
      p99: availability.latency.p99,
      slotsPerAnswer: (probe.body.slots as unknown[]).length,
      non2xx: availability.non2xx,
      ...availabilityCpu,
    },
    submitted,
    loadAverageAtStart,
  });
}

interface Report {
  levels: Level[];
  paused: StackRow;
  approve: { n: number; p50: number; p99: number };
  memory: { idleMb: number; openMb: number; openRequests: number; runningWorkflows: number | null };
  availability: CpuShare & { rps: number; p50: number; p99: number; slotsPerAnswer: number; non2xx: number };
  submitted: number;
  loadAverageAtStart: number[];
}

function report(r: Report): void {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const at50 = r.levels.find((l) => l.clients === 50)!;
  const targets = [
    ...r.levels.map((l) => ({
      target: `${l.clients} clients: stack ≥ 0.6 × floor throughput`,
      value: `${(l.stack.rps / l.floor.rps).toFixed(2)} (${l.stack.rps} / ${l.floor.rps})`,
      met: l.stack.rps >= 0.6 * l.floor.rps,
    })),
    {
      target: '50 clients: submission p99 < 250 ms',
      value: `${at50.stack.p99} ms`,
      met: at50.stack.p99 < 250,
    },
    {
      target: 'approve → confirmation email p99 < 500 ms',
      value: `${r.approve.p99} ms`,
      met: r.approve.p99 < 500,
    },
    {
      target: 'availability (1 clinician, 7 days) ≥ 1,000 req/s',
      value: `${r.availability.rps} req/s`,
      met: r.availability.rps >= 1000,
    },
  ];
  const table = [
    '| clients | stack req/s | stack p50 ms | stack p99 ms | floor ops/s | floor p50 ms | floor p99 ms | stack / floor | 201s | other answers | worker drained in |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.levels.map(
      (l) =>
        `| ${l.clients} | ${l.stack.rps} | ${l.stack.p50} | ${l.stack.p99} | ${l.floor.rps} | ${l.floor.p50} | ${l.floor.p99} | ${(l.stack.rps / l.floor.rps).toFixed(2)} | ${l.stack.ok} | ${l.stack.other} | ${l.stack.drainSeconds} s |`,
    ),
    `| 50, worker paused (diagnosis) | ${r.paused.rps} | ${r.paused.p50} | ${r.paused.p99} | | | | ${(r.paused.rps / at50.floor.rps).toFixed(2)} | ${r.paused.ok} | ${r.paused.other} | ${r.paused.drainSeconds} s |`,
  ];
  const cpuRow = (label: string, c: CpuShare) =>
    `| ${label} | ${c.perOpMs.api} | ${c.perOpMs.worker} | ${c.perOpMs.temporal} | ${c.perOpMs.postgres} | ${c.perOpMs.bench} | ${c.coresBusy} |`;
  const cpuTable = [
    '| CPU ms per operation | API | worker | Temporal server | PostgreSQL | load generator (this process) | cores busy |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.levels.flatMap((l) => [
      cpuRow(`floor, ${l.clients} loops`, l.floor),
      cpuRow(`stack, ${l.clients} clients`, l.stack),
    ]),
    cpuRow('stack, 50 clients, worker paused', r.paused),
    cpuRow('availability, 50 connections', r.availability),
  ];
  const drainedRow = (label: string, c: Cpu) =>
    `| ${label} | ${c.api} | ${c.worker} | ${c.temporal} | ${c.postgres} | ${c.bench} | ${r1(c.api + c.worker + c.temporal + c.postgres + c.bench)} |`;
  const drainedTable = [
    '| CPU ms per request, window and drain | API | worker | Temporal server | PostgreSQL | load generator and capture server | sum |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.levels.map((l) => drainedRow(`stack, ${l.clients} clients`, l.stack.drainedPerOpMs)),
    drainedRow('stack, 50 clients, worker paused', r.paused.drainedPerOpMs),
  ];
  const historyRows: [string, StackRow][] = [
    ...r.levels.map((l): [string, StackRow] => [`${l.clients} clients`, l.stack]),
    ['50 clients, worker paused', r.paused],
  ];
  const historyTable = [
    '| requests of the level | events | workflow tasks | activity tasks | local activities | timers | server ↔ worker round trips |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...historyRows.map(
      ([label, row]) =>
        `| ${label} | ${row.history.events} | ${row.history.workflowTasks} | ${row.history.activityTasks} | ${row.history.localActivities} | ${row.history.timers} | ${row.history.roundTrips} |`,
    ),
  ];
  // What the machine's 2 cores could serve if CPU were the only limit: cores × 1000 ms / CPU ms per operation, with
  // every process here, and with the Temporal server's share moved to a machine of its own.
  const cores = cpus().length;
  const ceiling = (c: CpuShare, withoutTemporal: boolean) => {
    const ms =
      c.perOpMs.api +
      c.perOpMs.worker +
      c.perOpMs.postgres +
      c.perOpMs.bench +
      (withoutTemporal ? 0 : c.perOpMs.temporal);
    return Math.round((cores * 1000) / Math.max(ms, 0.1));
  };
  const ceilingTable = [
    '| clients | measured stack req/s | CPU ceiling, stack, all here | CPU ceiling, stack, Temporal elsewhere | CPU ceiling, floor, all here | CPU ceiling, floor, Temporal elsewhere | ceiling ratio, Temporal elsewhere |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...r.levels.map(
      (l) =>
        `| ${l.clients} | ${l.stack.rps} | ${ceiling(l.stack, false)} | ${ceiling(l.stack, true)} | ${ceiling(l.floor, false)} | ${ceiling(l.floor, true)} | ${(ceiling(l.stack, true) / ceiling(l.floor, true)).toFixed(2)} |`,
    ),
  ];
  const others = [
    '| measure | value |',
    '|---|---:|',
    `| approve call → confirmation email at the provider, p50 (${r.approve.n} approvals, one at a time) | ${r.approve.p50} ms |`,
    `| approve call → confirmation email at the provider, p99 | ${r.approve.p99} ms |`,
    `| worker RSS, idle after start | ${r.memory.idleMb} MB |`,
    `| worker RSS with ${r.memory.openRequests} open request workflows (Temporal counts ${r.memory.runningWorkflows ?? 'n/a'} running) | ${r.memory.openMb} MB |`,
    `| availability, 50 connections: req/s | ${r.availability.rps} |`,
    `| availability: p50 / p99 | ${r.availability.p50} / ${r.availability.p99} ms |`,
    `| availability: slots per answer, non-2xx | ${r.availability.slotsPerAnswer}, ${r.availability.non2xx} |`,
  ];
  console.log(
    [...table, '', ...cpuTable, '', ...ceilingTable, '', ...historyTable, '', ...others].join('\n'),
  );
  console.log();
  for (const t of targets) console.log(`${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.value}`);

  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'load.json'),
    `${JSON.stringify({ machine, seconds: SECONDS, ...r, targets }, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'load.md'),
    [
      '# Load benchmark: the whole local stack',
      '',
      `Produced by \`npm run bench\` (bench/load.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node};`,
      `load average at start ${r.loadAverageAtStart.join(' / ')} (1 / 5 / 15 min; the machine is shared).`,
      'Every part is its own process, as in production: embedded PostgreSQL, the Temporal CLI dev server on a SQLite file,',
      '`node app/worker.ts`, `node app/api.ts` (pool of 10 connections, LOG_LEVEL=info) and a Resend-compatible capture',
      'server in the benchmark process; all on this one machine, so the load generator, the API, the worker (which runs',
      "each new request's workflow and two emails while the load goes on), PostgreSQL and Temporal share its cores.",
      '',
      `Submissions: autocannon POSTs new-client requests for distinct slots of 50 clinicians (each its own email and`,
      `network address, so no cap applies) for ${SECONDS} s per level, after a 3 s warm-up; the worker is let drain`,
      'between levels. The floor (bench/baseline/submitFloor.ts) runs right before each level with the same concurrency:',
      'a bare loop of one PostgreSQL insert and one workflow start through the same Temporal client library and server,',
      'on a task queue no worker polls, through a pool of the same size as the API’s. The last row repeats 50 clients',
      'with the worker stopped (SIGSTOP), to separate the submission path from the workflows it sets running.',
      '',
      ...table,
      '',
      'CPU time each process spent per operation during the timed window (from /proc; the worker keeps running the',
      'window\'s workflows afterwards, see "worker drained in"), and the average number of busy cores:',
      '',
      ...cpuTable,
      '',
      "The whole CPU cost of a level's requests: from the level's start until the worker had sent both notices of every",
      'one (the window above plus "worker drained in"), per request, so a worker that fell behind during the window',
      'counts its catching up too:',
      '',
      ...drainedTable,
      '',
      'The same CPU figures as ceilings: requests per second the 2 cores could serve if CPU were the only limit, with',
      "every process on this machine, and with the Temporal server's share on a machine of its own:",
      '',
      ...ceilingTable,
      '',
      'What one request costs Temporal from submission to "pending with both notices sent" (the clinician\'s and the',
      "client's receipt), read from the histories of a sample of each level's requests (test/support/historyCost.ts;",
      `${HISTORY_SAMPLE} per level), as means: every event is a row the server writes, every workflow or activity task a`,
      'round trip between the server and the worker; a local activity is one marker event in the workflow task that ran it.',
      '',
      ...historyTable,
      '',
      ...others,
      '',
      '| target | value | met |',
      '|---|---:|---|',
      ...targets.map((t) => `| ${t.target} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
      '',
      `${r.submitted} requests were submitted in the run.`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
