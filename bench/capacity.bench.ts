/**
 * Capacity benchmark: what one request costs in Temporal history and in the app's database, measured on the local
 * stack (embedded PostgreSQL, the Temporal CLI dev server on SQLite, `node app/worker.ts`, `node app/api.ts`, each its
 * own process), for docs/capacity-plan.md to scale on paper. Three flows, each a phase of its own so every delta
 * belongs to one kind:
 *   approve: a new client verifies their address, submits, the clinician approves (request workflow completes; the
 *            appointment's reminder workflow stays open until the appointment);
 *   decline: the same, declined;
 *   cancel:  approved, then canceled by the practice (cancelation workflow; the reminder workflow ends).
 * Per flow: events and bytes of every workflow it started (describe: historyLength, historySize), the app database's
 * growth (sum of pg_total_relation_size over its tables), the dev server's SQLite growth, and the CPU each process
 * spent. Then one wake of every open reminder workflow (the appointmentChanged signal, which runs the same steps as
 * its daily re-plan), to price a day of an open appointment.
 * Sizes: BENCH_CAPACITY_FLOWS (flows per kind, default 60; 5 for a smoke run), BENCH_CAPACITY_CONCURRENCY (5).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import {
  aSubmission,
  aWorld,
  decide,
  inPool,
  startLocalStack,
  submit,
  waitFor,
  waitForFinal,
  type Stack,
  type World,
} from '../test/reliability/harness';
import { appointmentWorkflowId } from '../temporal/appointments';
import { cancellationWorkflowId } from '../temporal/cancellations';
import { appointmentChangedSignal } from '../workflows/appointment';
import { postgresCpuMs, processCpuMs } from './support/processCpu';

const FLOWS = Number(process.env.BENCH_CAPACITY_FLOWS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CAPACITY_CONCURRENCY ?? 5);
const KINDS = ['approve', 'decline', 'cancel'] as const;
type Kind = (typeof KINDS)[number];

const r1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

type Cpu = { api: number; worker: number; temporal: number; postgres: number };
function cpuNow(stack: Stack): Cpu {
  return {
    api: processCpuMs(stack.api.pid),
    worker: processCpuMs(stack.worker.pid),
    temporal: processCpuMs(stack.temporalServer.pid),
    postgres: postgresCpuMs(stack.pg.pid),
  };
}

/** The app database's tables with their indexes and TOAST, in bytes. */
async function appDatabaseBytes(stack: Stack): Promise<Record<string, number>> {
  const rows = await stack.db.sequelize.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public'`,
    { type: QueryTypes.SELECT },
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}

/** Rows and the bytes of their data (plus tuple header and line pointer) per table of the app database. */
async function appRowBytes(stack: Stack): Promise<Record<string, { rows: number; bytes: number }>> {
  const tables = await stack.db.sequelize.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public'`,
    { type: QueryTypes.SELECT },
  );
  const out: Record<string, { rows: number; bytes: number }> = {};
  for (const { name } of tables) {
    const [row] = await stack.db.sequelize.query<{ rows: string; bytes: string }>(
      `SELECT count(*) AS rows, coalesce(sum(pg_column_size(t.*) + 28), 0) AS bytes FROM "${name}" t`,
      { type: QueryTypes.SELECT },
    );
    out[name] = { rows: Number(row.rows), bytes: Number(row.bytes) };
  }
  return out;
}

/** The dev server's SQLite files (database, WAL, shared memory), from its command line. */
function sqliteBytes(stack: Stack): number {
  const args = readFileSync(`/proc/${stack.temporalServer.pid}/cmdline`, 'utf8').split('\0');
  const file = args[args.indexOf('--db-filename') + 1];
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + statSync(file + suffix).size;
    } catch {
      return sum;
    }
  }, 0);
}

/** Every workflow started since `since`: type, events and history bytes (closed or not). */
async function workflowsSince(stack: Stack, since: Date) {
  const out: { id: string; type: string; status: string; events: number; bytes: number }[] = [];
  for await (const w of stack.temporal.workflow.list({ query: `StartTime >= "${since.toISOString()}"` })) {
    const d = await stack.temporal.workflow.getHandle(w.workflowId, w.runId).describe();
    out.push({
      id: w.workflowId,
      type: d.type,
      status: d.status.name,
      events: d.historyLength,
      bytes: d.historySize ?? NaN,
    });
  }
  return out;
}

/**
 * What a workflow's history asks of the server's task queues and timers, counted from its events: workflow tasks
 * (each a dispatch to a worker and a persistence write), activity tasks, timers and signals.
 */
async function taskCounts(stack: Stack, workflowId: string) {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const counts = { workflowTasks: 0, activityTasks: 0, timers: 0, signals: 0, updates: 0 };
  for (const e of history.events ?? []) {
    if (e.workflowTaskCompletedEventAttributes) counts.workflowTasks++;
    else if (e.activityTaskScheduledEventAttributes) counts.activityTasks++;
    else if (e.timerStartedEventAttributes) counts.timers++;
    else if (e.workflowExecutionSignaledEventAttributes) counts.signals++;
    else if (e.workflowExecutionUpdateAcceptedEventAttributes) counts.updates++;
  }
  return counts;
}
type Tasks = Awaited<ReturnType<typeof taskCounts>>;

/**
 * Waits until an open reminder workflow is asleep again after at least `grownBy` new events: its last event is the
 * timer it waits on. (Waiting for the history to stop growing for a while undercounted on a loaded machine, where a
 * worker can take longer than that to pick the next task up.)
 */
async function asleepAgain(stack: Stack, workflowId: string, before: number, grownBy = 1): Promise<number> {
  for (;;) {
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    if (events.length >= before + grownBy && events.at(-1)?.timerStartedEventAttributes) return events.length;
    await sleep(250);
  }
}

/** Waits until a workflow's history stops growing (no new event for 3 s); returns its length. */
async function settledLength(stack: Stack, workflowId: string): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const { historyLength } = await stack.temporal.workflow.getHandle(workflowId).describe();
    if (historyLength !== last) {
      last = historyLength;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 3000) return last;
    await sleep(250);
  }
}

/** One flow of a kind, end to end through the API; returns the request and appointment ids. */
async function flow(stack: Stack, world: World, kind: Kind) {
  const created = await submit(stack, world, aSubmission(world));
  if (created.status !== 201)
    throw new Error(`submission answered ${created.status}: ${JSON.stringify(created.body)}`);
  const requestId = created.body.id as string;
  const decided = await decide(stack, world, requestId, kind === 'decline' ? 'decline' : 'approve');
  if (decided.status !== 200) throw new Error(`decision answered ${decided.status}`);
  const appointmentId = kind === 'decline' ? null : (decided.body.appointment.id as string);
  if (kind === 'cancel') {
    const canceled = await stack.http.post(
      `/api/appointments/${appointmentId}/cancel`,
      { status: 'clinician_canceled', reason: 'The clinician is away that day.' },
      { token: world.adminToken },
    );
    if (canceled.status !== 200 && canceled.status !== 202)
      throw new Error(`cancel answered ${canceled.status}: ${JSON.stringify(canceled.body)}`);
  }
  return { requestId, appointmentId };
}

interface PhaseResult {
  kind: Kind;
  flows: number;
  seconds: number;
  /** Per workflow type: how many per flow, mean events and bytes each, and whether they are still open. */
  workflows: Record<string, { perFlow: number; events: number; bytes: number; open: number; tasks: Tasks }>;
  eventsPerFlow: number;
  historyBytesPerFlow: number;
  appDbBytesPerFlow: number;
  appRowBytesPerFlow: number;
  /** Per table: rows and row bytes the flow added (negative: rows it deleted, such as holds released). */
  appDbTables: { table: string; rowsPerFlow: number; bytesPerFlow: number }[];
  sqliteBytesPerFlow: number;
  cpuMsPerFlow: Cpu;
}

async function phase(stack: Stack, world: World, kind: Kind): Promise<PhaseResult & { open: string[] }> {
  const since = new Date();
  // Compacted first, so the phase's rows land in new pages and the growth is theirs, not free space filled.
  await stack.db.sequelize.query('VACUUM FULL');
  const dbBefore = await appDatabaseBytes(stack);
  const rowsBefore = await appRowBytes(stack);
  const sqliteBefore = sqliteBytes(stack);
  const cpuBefore = cpuNow(stack);
  const t0 = performance.now();
  const done: { requestId: string; appointmentId: string | null }[] = [];
  await inPool(Array.from({ length: FLOWS }), CONCURRENCY, async () => {
    done.push(await flow(stack, world, kind));
  });
  await waitForFinal(
    stack,
    done.map((d) => d.requestId),
  );
  if (kind === 'cancel')
    await waitFor(
      'cancelation and reminder workflows to complete',
      async () => {
        for (const d of done)
          for (const id of [
            cancellationWorkflowId(d.appointmentId!),
            appointmentWorkflowId(d.appointmentId!),
          ]) {
            const s = (await stack.temporal.workflow.getHandle(id).describe()).status.name;
            if (s !== 'COMPLETED') return false;
          }
        return true;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
  // The last emails and bell items land after the workflows' final status: let the worker go quiet.
  for (const d of done.slice(-3))
    if (d.appointmentId) await settledLength(stack, appointmentWorkflowId(d.appointmentId));
  await sleep(2000);
  const seconds = (performance.now() - t0) / 1000;
  const cpuAfter = cpuNow(stack);
  const dbAfter = await appDatabaseBytes(stack);
  const rowsAfter = await appRowBytes(stack);
  const sqliteAfter = sqliteBytes(stack);
  const all = await workflowsSince(stack, since);
  const byType: PhaseResult['workflows'] = {};
  for (const type of new Set(all.map((w) => w.type))) {
    const ws = all.filter((w) => w.type === type);
    const sample = await Promise.all(ws.slice(0, 10).map((w) => taskCounts(stack, w.id)));
    const tasks = Object.fromEntries(
      (Object.keys(sample[0]) as (keyof Tasks)[]).map((k) => [k, r1(mean(sample.map((t) => t[k])))]),
    ) as Tasks;
    byType[type] = {
      tasks,
      perFlow: r1((ws.length / FLOWS) * 100) / 100,
      events: r1(mean(ws.map((w) => w.events))),
      bytes: Math.round(mean(ws.map((w) => w.bytes))),
      open: ws.filter((w) => w.status === 'RUNNING').length,
    };
  }
  const tables = Object.keys(rowsAfter)
    .map((t) => ({
      table: t,
      rowsPerFlow: r1((rowsAfter[t].rows - (rowsBefore[t]?.rows ?? 0)) / FLOWS),
      bytesPerFlow: Math.round((rowsAfter[t].bytes - (rowsBefore[t]?.bytes ?? 0)) / FLOWS),
    }))
    .filter((t) => t.bytesPerFlow !== 0 || t.rowsPerFlow !== 0)
    .sort((a, b) => b.bytesPerFlow - a.bytesPerFlow);
  const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    kind,
    flows: FLOWS,
    seconds: r1(seconds),
    workflows: byType,
    eventsPerFlow: r1(all.reduce((s, w) => s + w.events, 0) / FLOWS),
    historyBytesPerFlow: Math.round(all.reduce((s, w) => s + w.bytes, 0) / FLOWS),
    appDbBytesPerFlow: Math.round((total(dbAfter) - total(dbBefore)) / FLOWS),
    appRowBytesPerFlow: tables.reduce((n, t) => n + t.bytesPerFlow, 0),
    appDbTables: tables,
    sqliteBytesPerFlow: Math.round((sqliteAfter - sqliteBefore) / FLOWS),
    cpuMsPerFlow: Object.fromEntries(
      (Object.keys(cpuBefore) as (keyof Cpu)[]).map((k) => [k, r1((cpuAfter[k] - cpuBefore[k]) / FLOWS)]),
    ) as Cpu,
    open: all.filter((w) => w.status === 'RUNNING').map((w) => w.id),
  };
}

/** One re-plan of each open reminder workflow, woken by its signal: events and bytes one wake adds. */
async function wakeCost(stack: Stack, ids: string[]) {
  const before = await Promise.all(ids.map((id) => stack.temporal.workflow.getHandle(id).describe()));
  const cpuBefore = cpuNow(stack);
  await Promise.all(ids.map((id) => stack.temporal.workflow.getHandle(id).signal(appointmentChangedSignal)));
  await Promise.all(ids.map((id, i) => asleepAgain(stack, id, before[i].historyLength)));
  // Read before the describes below, which cost the server CPU of their own; the settle wait's describes are in.
  const cpuAfter = cpuNow(stack);
  const after = await Promise.all(ids.map((id) => stack.temporal.workflow.getHandle(id).describe()));
  return {
    workflows: ids.length,
    cpuMsPerWake: Object.fromEntries(
      (Object.keys(cpuBefore) as (keyof Cpu)[]).map((k) => [
        k,
        r1((cpuAfter[k] - cpuBefore[k]) / ids.length),
      ]),
    ) as Cpu,
    eventsPerWake: r1(mean(after.map((a, i) => a.historyLength - before[i].historyLength))),
    bytesPerWake: Math.round(mean(after.map((a, i) => (a.historySize ?? 0) - (before[i].historySize ?? 0)))),
  };
}

async function main(): Promise<void> {
  installTemporalRuntime(createLogger('warn'));
  const load = loadavg().map((x) => r1(x * 100) / 100);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    loadAtStart: load,
  };
  const started = performance.now();
  console.log(`load average at start: ${load.join(' ')}; ${FLOWS} flows per kind, ${CONCURRENCY} at a time`);
  const stack = await startLocalStack();
  try {
    const world = await aWorld(stack, { clinicians: 8, firstDayOffset: 3 });
    // Warm-up (not measured): the first flows pay module loading and JIT in every process.
    for (const kind of KINDS) await flow(stack, world, kind);
    const phases: PhaseResult[] = [];
    let open: string[] = [];
    for (const kind of KINDS) {
      const { open: stillOpen, ...result } = await phase(stack, world, kind);
      phases.push(result);
      if (kind === 'approve') open = stillOpen.filter((id) => id.startsWith(appointmentWorkflowId('')));
      console.log(`${kind}: ${JSON.stringify(result)}`);
    }
    const wake = await wakeCost(stack, open);
    console.log(`reminder workflow wake: ${JSON.stringify(wake)}`);
    write({
      machine,
      flows: FLOWS,
      concurrency: CONCURRENCY,
      minutes: r1((performance.now() - started) / 60000),
      phases,
      wake,
    });
  } finally {
    await stack.stop();
  }
}

function write(r: {
  machine: { cpu: string; cores: number; node: string; loadAtStart: number[] };
  flows: number;
  concurrency: number;
  minutes: number;
  phases: PhaseResult[];
  wake: { workflows: number; eventsPerWake: number; bytesPerWake: number; cpuMsPerWake: Cpu };
}): void {
  const types = [...new Set(r.phases.flatMap((p) => Object.keys(p.workflows)))].sort();
  const perType = [
    '| flow | workflow type | per flow | events each | history bytes each | still open | workflow tasks | activity tasks | timers | signals | updates |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.phases.flatMap((p) =>
      types
        .filter((t) => p.workflows[t])
        .map(
          (t) =>
            `| ${p.kind} | ${t} | ${p.workflows[t].perFlow} | ${p.workflows[t].events} | ${p.workflows[t].bytes} | ${p.workflows[t].open} | ${p.workflows[t].tasks.workflowTasks} | ${p.workflows[t].tasks.activityTasks} | ${p.workflows[t].tasks.timers} | ${p.workflows[t].tasks.signals} | ${p.workflows[t].tasks.updates} |`,
        ),
    ),
  ];
  const perFlow = [
    '| flow | history events | history bytes | app DB bytes | app row bytes | dev-server SQLite bytes | CPU ms: API | worker | Temporal | PostgreSQL | seconds for the phase |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.phases.map(
      (p) =>
        `| ${p.kind} | ${p.eventsPerFlow} | ${p.historyBytesPerFlow} | ${p.appDbBytesPerFlow} | ${p.appRowBytesPerFlow} | ${p.sqliteBytesPerFlow} | ${p.cpuMsPerFlow.api} | ${p.cpuMsPerFlow.worker} | ${p.cpuMsPerFlow.temporal} | ${p.cpuMsPerFlow.postgres} | ${p.seconds} |`,
    ),
  ];
  const tables = r.phases.map(
    (p) =>
      `- ${p.kind}: ${p.appDbTables.map((t) => `${t.table} ${t.rowsPerFlow} rows / ${t.bytesPerFlow} B`).join(', ')}`,
  );
  const md = [
    '# Capacity benchmark: history and database bytes per request',
    '',
    `Produced by \`node_modules/.bin/tsx bench/capacity.bench.ts\` (bench/capacity.bench.ts) on ${r.machine.cpu}, ${r.machine.cores} cores,`,
    `Node ${r.machine.node}; load average at the start ${r.machine.loadAtStart.join(' ')} (1, 5, 15 min: the machine is shared,`,
    `so CPU figures carry that noise; events and bytes do not). ${r.flows} flows per kind, ${r.concurrency} at a time;`,
    `the run took ${r.minutes} min. Read by docs/capacity-plan.md.`,
    '',
    'The local stack, each part its own process: embedded PostgreSQL (the app database), the Temporal CLI dev server on',
    'SQLite, `node app/worker.ts`, `node app/api.ts`. Each flow goes through the API as the portal and dashboard do: a',
    "new client's address verified by emailed code, the submission, the clinician's decision; `cancel` is approved",
    'and then canceled by the practice. Each kind is its own phase, so every delta below belongs to it.',
    '',
    '## Per flow',
    '',
    ...perFlow,
    '',
    'History events and bytes: the sum over every workflow the flow started (describe: historyLength, historySize),',
    "measured once the flow is final; an approved appointment's reminder workflow is still open then and grows by one",
    'wake a day until the appointment (below). App DB bytes: growth of pg_total_relation_size (tables, indexes, TOAST)',
    'over the phase (after VACUUM FULL, so new rows rather than free space filled), divided by its flows: 8 kB pages,',
    'so a small phase rounds coarsely. Row bytes: the growth of the rows themselves (pg_column_size of each row plus',
    "PostgreSQL's 28 bytes of tuple header and line pointer), exact but without indexes. SQLite: the dev server's",
    'database, WAL and shared-memory files (an upper bound that moves with checkpoints; the real server keeps its',
    'history in PostgreSQL).',
    '',
    '## Per workflow type',
    '',
    'Task columns: per workflow, counted from the full histories of up to 10 of each type (workflow tasks completed,',
    'activities scheduled, timers started, signals and updates received).',
    '',
    ...perType,
    '',
    `## A day of an open appointment`,
    '',
    `One wake of each of the ${r.wake.workflows} open reminder workflows (the appointmentChanged signal runs the`,
    "same steps as the daily re-plan and a reminder's wake: a workflow task, the planReminders activity, a new timer):",
    `**${r.wake.eventsPerWake} events, ${r.wake.bytesPerWake} bytes** per wake; CPU per wake (ms): API ${r.wake.cpuMsPerWake.api},`,
    `worker ${r.wake.cpuMsPerWake.worker}, Temporal ${r.wake.cpuMsPerWake.temporal}, PostgreSQL ${r.wake.cpuMsPerWake.postgres}`,
    "(the bench's history reads while it waits for each to sleep again are in the Temporal figure: an upper bound).",
    '',
    '## Where the app database rows went (per flow, by table: rows added and their bytes)',
    '',
    ...tables,
    '',
    'Sizes: BENCH_CAPACITY_FLOWS (flows per kind), BENCH_CAPACITY_CONCURRENCY.',
    '',
  ].join('\n');
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'capacity.json'), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(outDir, 'capacity.md'), md);
  console.log(md);
}

await main();
process.exit(0);
