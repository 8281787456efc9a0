/**
 * Availability throughput: GET /portal/:slug/availability for 1 clinician × 7 days, the same question from every
 * visitor (a practice's booking page as everyone sees it), with the whole stack running (PostgreSQL, Temporal dev
 * server, worker, API), side by side in one run: today's configuration (1 API process, no compression, no cache of
 * practices and rules) against each improvement alone and all together. For each: req/s, latency p50/p99, bytes per
 * answer, and the CPU each process used (cores busy over the run), so where the time goes can be read off.
 * The per-address limit is off (AVAILABILITY_PER_MINUTE=0): autocannon's connections share one address, and the
 * limit's own cost is one Map lookup. Before the runs, what compressing one answer costs at each level.
 * Sizes: BENCH_SECONDS (per config, default 10), BENCH_CONNECTIONS (default 20), BENCH_CONFIGS (comma-separated
 * names to run a subset). A smoke run: BENCH_SECONDS=2 BENCH_CONFIGS=today,all-2 (well under a minute).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { installTemporalRuntime } from '../app/runtime';
import { createLogger } from '../lib/logger';
import { aWorld, ManagedProcess, startLocalStack, waitFor, type Stack } from '../test/reliability/harness';
import { freePort } from '../test/support/ports';
import { TEST_CODEC_KEYS } from '../test/support/codecKeys';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ONLY = process.env.BENCH_CONFIGS?.split(',').map((s) => s.trim());
const DAY_MS = 86_400_000;
const TICK_MS = 10; // /proc/*/stat counts in clock ticks of 1/100 s on Linux.
const r2 = (x: number) => Math.round(x * 100) / 100;

const CONFIGS: { name: string; what: string; env: Record<string, string> }[] = [
  {
    name: 'today',
    what: "today's: 1 process, no compression, no cache",
    env: { API_PROCESSES: '1', HTTP_COMPRESSION: 'off', AVAILABILITY_CACHE: 'false' },
  },
  {
    name: 'processes-2',
    what: '2 processes alone',
    env: { API_PROCESSES: '2', HTTP_COMPRESSION: 'off', AVAILABILITY_CACHE: 'false' },
  },
  {
    name: 'gzip-1',
    what: 'compression alone (gzip 1, once per answer)',
    env: { API_PROCESSES: '1', HTTP_COMPRESSION: 'gzip:1', AVAILABILITY_CACHE: 'false' },
  },
  {
    name: 'brotli-4',
    what: 'compression alone (brotli 4, once per answer)',
    env: { API_PROCESSES: '1', HTTP_COMPRESSION: 'brotli:4', AVAILABILITY_CACHE: 'false' },
  },
  {
    name: 'cache',
    what: 'cache alone',
    env: { API_PROCESSES: '1', HTTP_COMPRESSION: 'off', AVAILABILITY_CACHE: 'true' },
  },
  {
    name: 'all-1',
    what: 'all: 1 process, brotli 4, cache',
    env: { API_PROCESSES: '1', HTTP_COMPRESSION: 'brotli:4', AVAILABILITY_CACHE: 'true' },
  },
  {
    name: 'all-2',
    what: 'all: 2 processes, brotli 4, cache',
    env: { API_PROCESSES: '2', HTTP_COMPRESSION: 'brotli:4', AVAILABILITY_CACHE: 'true' },
  },
  {
    name: 'all-3',
    what: 'all: 3 processes, brotli 4, cache',
    env: { API_PROCESSES: '3', HTTP_COMPRESSION: 'brotli:4', AVAILABILITY_CACHE: 'true' },
  },
];

/** CPU ms (user + system) of a process, 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (f[11] + f[12]) * TICK_MS;
  } catch {
    return 0;
  }
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

/** The pids of a process's children (every thread's list). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The processes whose CPU is reported, by part; PostgreSQL as the postmaster and all its backends. */
function parts(stack: Stack, api: ManagedProcess): Record<string, number[]> {
  const primary = api.pid!;
  const forked = apiChildren(primary);
  const out: Record<string, number[]> = {};
  if (forked.length) {
    out['API primary'] = [primary];
    forked.forEach((pid, i) => (out[`API ${i + 1}`] = [pid]));
  } else out['API'] = [primary];
  out['PostgreSQL'] = [stack.pg.pid!, ...childrenOf(stack.pg.pid!)];
  out['Temporal dev server'] = [stack.temporalServer.pid!];
  out['worker'] = [stack.worker.pid!];
  return out;
}

/** What compressing one answer costs at each level, in this process (ms per answer, bytes). */
function compressionCosts(body: string) {
  const variants: [string, () => Buffer][] = [
    ['none', () => Buffer.from(body)],
    ['gzip 1', () => gzipSync(body, { level: 1 })],
    ['gzip 6 (the package default)', () => gzipSync(body, { level: 6 })],
    ['gzip 9', () => gzipSync(body, { level: 9 })],
    [
      'brotli 4 (the package default)',
      () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
    ],
    ['brotli 11', () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })],
  ];
  return variants.map(([name, fn]) => {
    for (let i = 0; i < 20; i++) fn();
    const n = 200;
    const t0 = performance.now();
    let bytes = 0;
    for (let i = 0; i < n; i++) bytes = fn().length;
    const ms = (performance.now() - t0) / n;
    // What compressing every answer would cost at 1,000 answers a second, in cores.
    return { name, bytes, ms: Math.round(ms * 1000) / 1000, coresAt1000: r2(ms) };
  });
}

type Run = {
  name: string;
  what: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  bytesPerAnswer: number;
  cores: Record<string, number>;
  benchCores: number;
};

async function run(
  stack: Stack,
  baseEnv: Record<string, string>,
  config: (typeof CONFIGS)[number],
  path: string,
): Promise<Run> {
  const port = await freePort();
  const env = { ...baseEnv, ...config.env, PORT: String(port) };
  const api = new ManagedProcess(
    `api-${config.name}`,
    process.execPath,
    ['--import', 'tsx', 'app/api.ts'],
    env,
    stack.logs,
  );
  const mark = stack.logs.mark();
  api.start();
  const url = `http://127.0.0.1:${port}`;
  try {
    const processes = Number(config.env.API_PROCESSES);
    await waitFor(
      `${processes} API processes listening`,
      () => {
        if (!api.running) throw new Error(`the API exited: ${stack.logs.since(mark).slice(-5).join('\n')}`);
        return (
          stack.logs.since(mark, api.name).filter((l) => l.includes('API listening')).length >= processes
        );
      },
      { timeoutMs: 120_000 },
    );
    const headers = { 'accept-encoding': 'gzip, deflate, br' };
    const probe = await fetch(url + path, { headers });
    if (probe.status !== 200) throw new Error(`availability: ${probe.status} ${await probe.text()}`);
    const bytesPerAnswer = Number(
      probe.headers.get('content-length') ?? (await probe.arrayBuffer()).byteLength,
    );
    // Warm-up: the JIT and each process's caches, outside the measured window.
    await autocannon({ url: url + path, connections: CONNECTIONS, duration: 2, headers });
    const pids = parts(stack, api);
    const before = Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, ps.map(cpuMs)]));
    const bench0 = process.cpuUsage();
    const result = await autocannon({
      url: url + path,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
    });
    const benchUsage = process.cpuUsage(bench0);
    const cores: Record<string, number> = {};
    for (const [k, ps] of Object.entries(pids)) {
      // PostgreSQL backends started during the run count from zero.
      const now = [stack.pg.pid!, ...childrenOf(stack.pg.pid!)];
      const list = k === 'PostgreSQL' ? now : ps;
      const used = list.reduce((sum, pid) => {
        const i = ps.indexOf(pid);
        return sum + cpuMs(pid) - (i >= 0 ? before[k][i] : 0);
      }, 0);
      cores[k] = r2(used / 1000 / result.duration);
    }
    const ok = result['2xx'];
    const row: Run = {
      name: config.name,
      what: config.what,
      reqPerSec: Math.round(ok / result.duration),
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok,
      other: result.requests.total - ok + result.errors,
      bytesPerAnswer,
      cores,
      benchCores: r2((benchUsage.user + benchUsage.system) / 1e6 / result.duration),
    };
    console.log(
      `  ${config.name}: ${row.reqPerSec} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${bytesPerAnswer} B`,
    );
    return row;
  } finally {
    await api.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  installTemporalRuntime(createLogger('warn'));
  const load = loadavg().map(r2);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    loadAtStart: load,
  };
  console.log('starting the stack (PostgreSQL, Temporal dev server, worker)…');
  const stack = await startLocalStack({ logLevel: 'info' });
  try {
    const world = await aWorld(stack, { clinicians: 1, firstDayOffset: 3 });
    // Only the processes started here answer; the stack's own API (which signed the world's admin in) would sit idle.
    await stack.api.kill('SIGTERM');
    const from = Math.ceil(Date.now() / DAY_MS) * DAY_MS + 3 * DAY_MS;
    const q = new URLSearchParams({
      clinicianId: world.clinicians[0].id,
      serviceId: world.service.id,
      from: new Date(from).toISOString(),
      to: new Date(from + 7 * DAY_MS).toISOString(),
    });
    const path = `/portal/${world.practice.slug}/availability?${q}`;
    const baseEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: join(dirname(fileURLToPath(import.meta.url)), '..', '.data', 'bench-throughput'),
      DATABASE_URL: stack.pg.url,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://portal.test',
      AUTH_SECRET: randomBytes(32).toString('hex'),
      TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
      AVAILABILITY_PER_MINUTE: '0',
    };
    const runs: Run[] = [];
    for (const config of CONFIGS.filter((c) => !ONLY || ONLY.includes(c.name)))
      runs.push(await run(stack, baseEnv, config, path));
    const body = await answerText(stack, baseEnv, path);
    const costs = compressionCosts(body);
    const slots = (JSON.parse(body) as { slots: unknown[] }).slots.length;
    writeResults(machine, runs, costs, { slots, bytes: body.length, loadAtEnd: loadavg().map(r2) });
  } finally {
    await stack.stop();
  }
}

/** The uncompressed answer, from a short-lived API process of today's configuration. */
async function answerText(stack: Stack, baseEnv: Record<string, string>, path: string): Promise<string> {
  const port = await freePort();
  const api = new ManagedProcess(
    'api-text',
    process.execPath,
    ['--import', 'tsx', 'app/api.ts'],
    { ...baseEnv, PORT: String(port) },
    stack.logs,
  );
  api.start();
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the API', async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 120_000 });
    return await (await fetch(url + path, { headers: { 'accept-encoding': 'identity' } })).text();
  } finally {
    await api.kill('SIGTERM');
  }
}

function writeResults(
  machine: { cpu: string; cores: number; node: string; loadAtStart: number[] },
  runs: Run[],
  costs: ReturnType<typeof compressionCosts>,
  answer: { slots: number; bytes: number; loadAtEnd: number[] },
): void {
  const partNames = [...new Set(runs.flatMap((r) => Object.keys(r.cores)))];
  const table = [
    '| config | req/s | p50 ms | p99 ms | bytes per answer | non-2xx + errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) => `| ${r.what} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.bytesPerAnswer} | ${r.other} |`,
    ),
  ];
  const cpuTable = [
    `| config | ${partNames.join(' | ')} | load generator (autocannon, this process) | total | CPU ms per answer, stack | req/s if the stack had the ${machine.cores} cores |`,
    `|---|${partNames.map(() => '---:').join('|')}|---:|---:|---:|---:|`,
    ...runs.map((r) => {
      const stackCores = Object.values(r.cores).reduce((a, b) => a + b, 0);
      const total = stackCores + r.benchCores;
      // What one answer costs the whole stack, whoever else the machine was busy with: the figure load does not move.
      const msPerAnswer = r.reqPerSec ? (stackCores * 1000) / r.reqPerSec : NaN;
      return `| ${r.name} | ${partNames.map((p) => (p in r.cores ? r.cores[p] : '')).join(' | ')} | ${r.benchCores} | ${r2(total)} | ${r2(msPerAnswer)} | ${Math.round((machine.cores * 1000) / msPerAnswer)} |`;
    }),
  ];
  const costTable = [
    '| encoding | bytes | ms per answer | cores at 1,000 answers/s if compressed per request |',
    '|---|---:|---:|---:|',
    ...costs.map((c) => `| ${c.name} | ${c.bytes} | ${c.ms} | ${c.coresAt1000} |`),
  ];
  console.log([...table, '', ...cpuTable, '', ...costTable].join('\n'));
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'availabilityThroughput.json'),
    `${JSON.stringify({ machine, seconds: SECONDS, connections: CONNECTIONS, answer, runs, compression: costs }, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'availabilityThroughput.md'),
    [
      '# Availability throughput: 1 clinician × 7 days',
      '',
      `Produced by \`npm run bench\` (bench/availabilityThroughput.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node};`,
      `load average ${machine.loadAtStart.join(' / ')} at start and ${answer.loadAtEnd.join(' / ')} at the end (1 / 5 / 15 min: the machine is shared with`,
      "other engineers' benchmarks and tests, so figures move with their load).",
      `Whole stack running (PostgreSQL, Temporal dev server, worker, API). autocannon in the bench process, ${CONNECTIONS} connections,`,
      `${SECONDS} s per config after a 2 s warm-up, the same question each time (${answer.slots} slots, ${answer.bytes} bytes of JSON), \`Accept-Encoding: gzip, deflate, br\`,`,
      'per-address limit off. The answer cache of finished answers (api/availabilityCache.ts) is on in every config, as today.',
      '',
      ...table,
      '',
      'Cores busy per process over the measured window (CPU seconds / wall seconds; 2.0 is the whole machine):',
      '',
      ...cpuTable,
      '',
      'What compressing this answer costs, measured in the bench process (the API compresses a repeated answer once and',
      'keeps the bytes, api/compression.ts EncodedAnswers; the last column is what compressing on every request would cost):',
      '',
      ...costTable,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
