/**
 * `npm run stack:cluster [-- up|down|status|purge|build]`: the production shape on this machine (cluster.ts). `up`
 * (the default) stays in the foreground and stops everything on Ctrl-C; `down` stops it from another terminal;
 * `status` says what runs; `purge` stops it and deletes its data; `build` only builds the binaries. Sizes and ports come from the environment (README
 * "Production shape on one machine").
 */
import fs from 'node:fs';
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ensureClusterBinaries } from './build';
import { startCluster, DEFAULT_CLUSTER_DIR, type Cluster } from './cluster';
import { portsFromBases } from './ports';
import { processAlive, recordStillRuns, stopRecorded, type PidRecord } from './process';
import { DEFAULT_PORTS, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from './versions';

const print = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 20)
    throw new Error(`${name} must be a whole number from 1 to 20, got "${raw}"`);
  return Number(raw);
}

const PORT_VARIABLES: Record<keyof typeof DEFAULT_PORTS, string> = {
  postgres: 'CLUSTER_POSTGRES_PORT',
  temporal: 'CLUSTER_TEMPORAL_PORT',
  ui: 'CLUSTER_UI_PORT',
  api: 'CLUSTER_API_PORT',
  apiMetrics: 'CLUSTER_API_METRICS_PORT',
  temporalMetrics: 'CLUSTER_TEMPORAL_METRICS_PORT',
};

/** Variables handed on to every API and worker when set: real email, the public address, logging. */
export const PASSED_THROUGH = [
  'RESEND_API_KEY',
  'RESEND_BASE_URL',
  'EMAIL_FROM',
  'PUBLIC_URL',
  'TRUST_PROXY',
  'LOG_LEVEL',
];

/** The cluster's options from the environment: API_COUNT, WORKER_COUNT, CLUSTER_DIR and the CLUSTER_*_PORT bases. */
export function optionsFromEnv(env: NodeJS.ProcessEnv) {
  const apiCount = count(env, 'API_COUNT', 2);
  const workerCount = count(env, 'WORKER_COUNT', 2);
  const bases: Partial<Record<keyof typeof DEFAULT_PORTS, number>> = {};
  for (const [key, name] of Object.entries(PORT_VARIABLES) as [keyof typeof DEFAULT_PORTS, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw) || Number(raw) < 1024 || Number(raw) > 65000)
      throw new Error(`${name} must be a port from 1024 to 65000, got "${raw}"`);
    bases[key] = Number(raw);
  }
  // The operator's own settings for the apps; everything else they need the cluster generates.
  const appEnv: Record<string, string> = {};
  for (const name of PASSED_THROUGH) if (env[name]) appEnv[name] = env[name];
  return {
    appEnv,
    apiCount,
    workerCount,
    dataDir: env.CLUSTER_DIR ? path.resolve(env.CLUSTER_DIR) : DEFAULT_CLUSTER_DIR,
    ports: portsFromBases({ apis: apiCount, workers: workerCount }, bases),
  };
}

/** What an operator needs to reach every part, one line each. */
export function describeCluster(cluster: Cluster): string[] {
  const a = cluster.addresses;
  const lines = [
    `Temporal server ${TEMPORAL_SERVER_VERSION}: gRPC ${a.temporal} (HTTP ${a.temporalHttp}, metrics ${a.temporalMetrics})`,
    a.ui
      ? `Temporal UI ${TEMPORAL_UI_VERSION}: ${a.ui} (payloads decrypted through the first API's /codec)`
      : '',
    `PostgreSQL: ${a.postgres} (app: ${a.databaseUrl.replace(/:[^:@/]+@/, ':***@')}; Temporal: temporal, temporal_visibility)`,
    ...a.apis.map(
      (url, i) =>
        `API ${i + 1}: ${url} (METRICS_PORT ${a.apiMetrics[i]}, TEMPORAL_METRICS_PORT ${a.apiTemporalMetrics[i]})`,
    ),
    ...a.workerTemporalMetrics.map((url, i) => `worker ${i + 1}: TEMPORAL_METRICS_PORT ${url}`),
    `dashboard: ${a.apis[0]}/app (demo practice: admin@demo.test and the other demo accounts, password in ${path.join(cluster.dataDir, 'secrets.json')} "demoPassword")`,
    `emails (no RESEND_API_KEY): files in ${a.outbox}`,
    `logs: ${path.join(cluster.dataDir, 'logs')}`,
  ];
  return lines.filter(Boolean);
}

function readRecords(dataDir: string): PidRecord[] {
  const dir = path.join(dataDir, 'pids');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as PidRecord);
}

/** Stops a cluster started elsewhere: its supervisor if alive (it stops the rest in order), else each process. */
async function down(dataDir: string): Promise<void> {
  const records = readRecords(dataDir);
  const supervisor = records.find((r) => r.name === 'supervisor');
  if (supervisor && (await stopRecorded(supervisor, 'SIGTERM', 120_000))) {
    print(`stopped the cluster started by pid ${supervisor.pid}`);
  }
  await stopLeftovers(dataDir);
}

/** Stops every recorded process but the supervisor: apps first, PostgreSQL last. */
async function stopLeftovers(dataDir: string): Promise<void> {
  const order = (r: PidRecord) =>
    r.name === 'postgres'
      ? 3
      : r.name === 'temporal' || r.name === 'ui'
        ? 2
        : r.name === 'supervisor'
          ? 0
          : 1;
  for (const rank of [1, 2, 3]) {
    await Promise.all(
      readRecords(dataDir)
        .filter((r) => order(r) === rank)
        .map(async (r) => {
          if (await stopRecorded(r, r.name === 'postgres' ? 'SIGINT' : 'SIGTERM', 60_000))
            print(`stopped ${r.name} (${r.pid})`);
        }),
    );
  }
  for (const r of readRecords(dataDir))
    if (!processAlive(r.pid)) fs.rmSync(path.join(dataDir, 'pids', `${r.name}.json`));
}

function status(dataDir: string): number {
  const records = readRecords(dataDir);
  if (!records.length) {
    print(`nothing recorded in ${dataDir}`);
    return 1;
  }
  let running = 0;
  for (const r of records) {
    const alive = recordStillRuns(r);
    if (alive) running++;
    print(`${r.name.padEnd(10)} pid ${String(r.pid).padEnd(8)} ${alive ? 'running' : 'not running'}`);
  }
  return running === records.length ? 0 : 1;
}

async function up(env: NodeJS.ProcessEnv): Promise<void> {
  const opts = optionsFromEnv(env);
  const running = readRecords(opts.dataDir).filter(recordStillRuns);
  if (running.length)
    throw new Error(
      `already running (${running.map((r) => r.name).join(', ')}): \`npm run stack:cluster -- down\` first`,
    );
  const t0 = performance.now();
  print(`starting ${opts.apiCount} APIs and ${opts.workerCount} workers in ${opts.dataDir}`);
  const supervisorFile = path.join(opts.dataDir, 'pids', 'supervisor.json');
  fs.mkdirSync(path.dirname(supervisorFile), { recursive: true });
  fs.writeFileSync(
    supervisorFile,
    JSON.stringify({
      name: 'supervisor',
      pid: process.pid,
      command: 'tools/cluster/main.ts',
    } satisfies PidRecord),
  );
  let cluster: Cluster | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`${signal}: stopping (APIs and workers drain first, PostgreSQL last)`);
    // Interrupted while starting: no handles yet, but every process started so far is recorded.
    if (cluster) await cluster.stop();
    else await stopLeftovers(opts.dataDir);
    fs.rmSync(supervisorFile, { force: true });
    print('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    cluster = await startCluster({ ...opts, log: print });
  } catch (err) {
    // Stopped while starting: the start fails because its processes are being stopped; shutdown() exits.
    if (stopping) return new Promise<never>(() => {});
    fs.rmSync(supervisorFile, { force: true });
    throw err;
  }
  if (stopping) return;
  for (const p of [cluster.postgres, cluster.temporal, cluster.ui, ...cluster.apis, ...cluster.workers]) {
    if (!p) continue;
    p.onUnexpectedExit = (code, signal) =>
      print(
        `${p.name} exited (${signal ?? `code ${code}`}); see ${p.logFile}. Restart the cluster to bring it back.`,
      );
  }
  const timings = Object.entries(cluster.timings)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ');
  print(`up in ${((performance.now() - t0) / 1000).toFixed(1)} s (${timings})`);
  for (const line of describeCluster(cluster)) print(line);
  print('Ctrl-C (or `npm run stack:cluster -- down`) stops everything; the data stays for the next run.');
}

/** Script entry. */
export async function main(argv: string[] = process.argv.slice(2), env = process.env): Promise<void> {
  const command = argv[0] ?? 'up';
  const dataDir = optionsFromEnv(env).dataDir;
  if (command === 'up') await up(env);
  else if (command === 'build') {
    // CI builds (or finds cached) the binaries as a step of its own, so the suite's start-up is not a cold build.
    const t0 = performance.now();
    const built = await ensureClusterBinaries({ log: print });
    print(
      `${built.server}, ${built.sqlTool}, ${built.ui} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  } else if (command === 'down') await down(dataDir);
  else if (command === 'status') process.exitCode = status(dataDir);
  else if (command === 'purge') {
    await down(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    print(`deleted ${dataDir}`);
  } else throw new Error(`unknown command "${command}": use up, down, status, purge or build`);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    process.stderr.write(`[cluster] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
