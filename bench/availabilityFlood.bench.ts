/**
 * /healthz latency while 10 callers hammer the availability endpoint with 62-day questions on the finest grid
 * (a clinician open around the clock, a start every 5 minutes: the dearest answer the endpoint can give), with the
 * per-address limit off (AVAILABILITY_PER_MINUTE=0) and on (the default), side by side. Each run starts its own
 * stack (bench/../test/reliability/harness.ts: PostgreSQL, Temporal dev server, worker, `node app/api.ts`).
 * The callers are 10 network addresses, taking turns over the connections, and `from` moves by a millisecond per
 * question, so the answer cache never helps them: the worst case the limit allows.
 * The probe runs in a worker thread, so the load generator's own event loop does not delay its measurements.
 * Sizes: BENCH_SECONDS (flood duration per run, default 10).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { aWorld, startLocalStack, visitorAddress, type Stack } from '../test/reliability/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CALLERS = 10;
const DAY_MS = 86_400_000;
// The callers' saved-up budget (a minute's worth per address) is spent within this; "steady" samples come after.
const BURST_MS = 3_000;

const r1 = (x: number) => Math.round(x * 10) / 10;

// Plain JavaScript for the worker thread: GET /healthz one at a time, 20 ms apart, until told to stop.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const latencies = [];
const started = performance.now();
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const t0 = performance.now();
    const res = await fetch(workerData.url);
    await res.arrayBuffer();
    latencies.push([t0 - started, performance.now() - t0]);
    await new Promise((r) => setTimeout(r, 20));
  }
  parentPort.postMessage(latencies);
})();
`;

/** /healthz latencies (ms) measured while `during` runs, each with when it was sent (ms from the start). */
async function probeHealthz<T>(
  stack: Stack,
  during: () => Promise<T>,
): Promise<{ result: T; ms: number[]; steady: number[] }> {
  const worker = new Worker(PROBE, { eval: true, workerData: { url: `${stack.apiUrl}/healthz` } });
  const done = new Promise<[number, number][]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const result = await during();
  worker.postMessage('stop');
  const samples = await done;
  await worker.terminate();
  return {
    result,
    ms: samples.map(([, ms]) => ms),
    steady: samples.filter(([at]) => at >= BURST_MS).map(([, ms]) => ms),
  };
}

const quantile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
};
const summary = (ms: number[]) => ({
  n: ms.length,
  p50: r1(quantile(ms, 0.5)),
  p99: r1(quantile(ms, 0.99)),
  max: r1(Math.max(...ms)),
});

function apiCpuMs(stack: Stack): number {
  const stat = readFileSync(`/proc/${stack.api.pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11] + f[12]) * 10;
}

type Run = {
  limit: string;
  rest: ReturnType<typeof summary>;
  flood: ReturnType<typeof summary>;
  steady: ReturnType<typeof summary>;
  answered: number;
  refused: number;
  other: number;
  answerP50: number;
  kbPerAnswer: number;
  slotsPerAnswer: number;
  apiCoresBusy: number;
};

async function run(limit: string, env: Record<string, string>): Promise<Run> {
  console.log(`starting the stack (AVAILABILITY_PER_MINUTE ${env.AVAILABILITY_PER_MINUTE ?? 'default'})…`);
  const stack = await startLocalStack({ logLevel: 'warn', env, worker: false });
  try {
    const world = await aWorld(stack, { clinicians: 1, firstDayOffset: 3 });
    await stack.db.sequelize.query(
      'UPDATE booking_preferences SET start_time_interval_minutes = 5, minimum_notice_hours = 0 WHERE clinician_id = :id',
      { replacements: { id: world.clinicians[0].id } },
    );
    const from = Math.ceil(Date.now() / DAY_MS) * DAY_MS + 3 * DAY_MS;
    let n = 0;
    const callers = Array.from({ length: CALLERS }, () => visitorAddress());
    const path = () => {
      const start = new Date(from + n++);
      const q = new URLSearchParams({
        clinicianId: world.clinicians[0].id,
        serviceId: world.service.id,
        from: start.toISOString(),
        to: new Date(start.getTime() + 62 * DAY_MS).toISOString(),
      });
      return `/portal/${world.practice.slug}/availability?${q}`;
    };
    const probe = await stack.http.get(path(), { headers: { 'x-forwarded-for': visitorAddress() } });
    if (probe.status !== 200) throw new Error(`availability: ${probe.status} ${JSON.stringify(probe.body)}`);
    const probeBytes = JSON.stringify(probe.body).length;

    const rest = await probeHealthz(stack, () => new Promise((r) => setTimeout(r, 3_000)));
    const cpu0 = apiCpuMs(stack);
    const flood = await probeHealthz(stack, () =>
      autocannon({
        url: stack.apiUrl,
        connections: CALLERS,
        duration: SECONDS,
        requests: [
          {
            method: 'GET',
            // The callers' addresses in turn, a new `from` per question.
            setupRequest: (req) => ({
              ...req,
              path: path(),
              headers: { 'x-forwarded-for': callers[n % CALLERS] },
            }),
          },
        ],
      }),
    );
    const apiCoresBusy = Math.round(((apiCpuMs(stack) - cpu0) / 1000 / flood.result.duration) * 100) / 100;
    const codes = flood.result.statusCodeStats ?? {};
    const answered = codes['200']?.count ?? 0;
    const refused = codes['429']?.count ?? 0;
    const row: Run = {
      limit,
      rest: summary(rest.ms),
      flood: summary(flood.ms),
      steady: summary(flood.steady),
      answered,
      refused,
      other: flood.result.requests.total - answered - refused + flood.result.errors,
      answerP50: flood.result.latency.p50,
      kbPerAnswer: Math.round(probeBytes / 1024),
      slotsPerAnswer: (probe.body.slots as unknown[]).length,
      apiCoresBusy,
    };
    console.log(`  ${limit}: /healthz p99 ${row.flood.p99} ms under flood (${row.rest.p99} ms at rest)`);
    return row;
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  installTemporalRuntime(createLogger('warn'));
  const runs = [
    await run('off (AVAILABILITY_PER_MINUTE=0)', { AVAILABILITY_PER_MINUTE: '0' }),
    await run('on (default, 60 a minute)', {}),
  ];
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const table = [
    `| per-address limit | /healthz at rest p50 / p99 ms | /healthz under flood p50 / p99 / max ms | the same from ${BURST_MS / 1000} s on | 200 answers | 429 answers | other | answer p50 ms | slots, KB per answer | API cores busy |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.limit} | ${r.rest.p50} / ${r.rest.p99} | ${r.flood.p50} / ${r.flood.p99} / ${r.flood.max} | ${r.steady.p50} / ${r.steady.p99} / ${r.steady.max} | ${r.answered} | ${r.refused} | ${r.other} | ${r.answerP50} | ${r.slotsPerAnswer}, ${r.kbPerAnswer} | ${r.apiCoresBusy} |`,
    ),
  ];
  console.log(table.join('\n'));
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'availabilityFlood.json'),
    `${JSON.stringify({ machine, seconds: SECONDS, callers: CALLERS, runs }, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'availabilityFlood.md'),
    [
      '# /healthz while 10 callers hammer 62-day availability',
      '',
      `Produced by \`npm run bench\` (bench/availabilityFlood.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}.`,
      `${CALLERS} callers (network addresses, in turn over ${CALLERS} autocannon connections) ask for 62 days of a clinician open around the`,
      `clock on a 5-minute grid for ${SECONDS} s, a new \`from\` per question (so the answer cache never helps them);`,
      'meanwhile a worker thread GETs /healthz every 20 ms. The same scenario with the per-address limit off and on;',
      'in both, one answer is cut at a week of slots (`nextFrom` says where to continue). Before the change one such',
      'answer was 17,484 slots and 3 MB (67 ms each in the issue report), and /healthz p99 rose to 190 ms.',
      '',
      ...table,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
