/**
 * The production shape on one machine, as separate processes: PostgreSQL, the real Temporal server (all four
 * services; persistence and SQL visibility on PostgreSQL), the Temporal UI server, N APIs and M workers of this
 * repository with NODE_ENV=production. `npm run stack:cluster` (main.ts) runs it from a terminal; tests and
 * benchmarks call startCluster() and use the handles it returns to kill and restart any part.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { Connection } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { msToTs } from '@temporalio/common/lib/time';
import { rootDir } from '../../app/config';
import { createDatabase } from '../../models/db';
import { migrate } from '../../models/migrate';
import { seedDemoPractice } from '../../models/seed';
import { connectClient, ensureSearchAttributes } from '../../temporal/connection';
import { parseCodecKeys } from '../../temporal/codec';
import { ensureClusterBinaries } from './build';
import { ensureWebBuild, webBuildStale } from '../../app/webBuild';
import { ClusterProcess } from './process';
import { portsFromBases, type ClusterPorts } from './ports';
import { ensureRoles, preparePostgres, waitForPostgres } from './postgres';
import { ensureTemporalSchema } from './schema';
import { loadOrCreateSecrets, type ClusterSecrets } from './secrets';
import { SERVER_ENV, writeConfigs } from './temporalConfig';
import { NAMESPACE } from './versions';

/** The default data folder (git-ignored with the rest of .data/). */
export const DEFAULT_CLUSTER_DIR = path.join(rootDir, '.data', 'cluster');

/** How startCluster() sizes and places the cluster. */
export interface ClusterOptions {
  /** Data, logs, pids, secrets and configs; default .data/cluster. */
  dataDir?: string;
  apiCount?: number;
  workerCount?: number;
  /** Default: the fixed defaults of versions.ts (tests pass ephemeralPorts()). */
  ports?: ClusterPorts;
  /** Added to every API's and worker's environment (tests point RESEND_BASE_URL at their capture server). */
  appEnv?: Record<string, string>;
  /** Seed the demo practice (first start only); default true. */
  seed?: boolean;
  /** Start the Temporal UI server; default true. */
  ui?: boolean;
  log?: (line: string) => void;
  /** Where the built binaries are cached; default .temporal/. */
  cacheDir?: string;
}

/** Where everything answers. */
export interface ClusterAddresses {
  apis: string[];
  ui: string | null;
  temporal: string;
  temporalHttp: string;
  temporalMetrics: string;
  postgres: string;
  /** The app's database URL (with its generated password). */
  databaseUrl: string;
  apiMetrics: string[];
  apiTemporalMetrics: string[];
  workerTemporalMetrics: string[];
  /** Where emails go when RESEND_API_KEY is not set. */
  outbox: string;
}

/** A running cluster and the handles to break and mend it. */
export interface Cluster {
  dataDir: string;
  ports: ClusterPorts;
  addresses: ClusterAddresses;
  secrets: ClusterSecrets;
  postgres: ClusterProcess;
  temporal: ClusterProcess;
  ui: ClusterProcess | null;
  apis: ClusterProcess[];
  workers: ClusterProcess[];
  /** Seconds each start-up phase took (build, postgres, schema, temporal, migrate, apps). */
  timings: Record<string, number>;
  /** (Re)starts PostgreSQL and waits until it answers. */
  startPostgres(): Promise<void>;
  /** (Re)starts the Temporal server and waits until the namespace answers. */
  startTemporal(): Promise<void>;
  /** (Re)starts API i (0-based) and waits for /readyz. */
  startApi(i: number): Promise<void>;
  /** (Re)starts worker i (0-based) and waits until it polls. */
  startWorker(i: number): Promise<void>;
  /** Starts whatever is not running (in dependency order). */
  ensureUp(): Promise<void>;
  /** Stops everything cleanly: apps drain first, PostgreSQL last. */
  stop(): Promise<void>;
}

const secondsSince = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

/** Waits until the frontend answers for the namespace (registering it, once, when it is not there). */
async function ensureNamespace(address: string, proc: ClusterProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`the Temporal server exited:\n${proc.tail()}`);
    let connection: Connection | null = null;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2000 });
      const service = connection.workflowService;
      try {
        await connection.withDeadline(Date.now() + 5000, () =>
          service.describeNamespace({ namespace: NAMESPACE.name }),
        );
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== status.NOT_FOUND) throw err;
        await connection.withDeadline(Date.now() + 5000, () =>
          service.registerNamespace({
            namespace: NAMESPACE.name,
            workflowExecutionRetentionPeriod: msToTs(`${NAMESPACE.retentionDays} days`),
          }),
        );
      }
    } catch (err) {
      last = err;
    } finally {
      await connection?.close().catch(() => {});
    }
    await sleep(500);
  }
  throw new Error(`the Temporal server did not answer on ${address}: ${String(last)}\n${proc.tail()}`);
}

/** Waits until an API's /readyz answers 200 (PostgreSQL and Temporal reachable from it). */
async function waitForReady(proc: ClusterProcess, url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.alive) throw new Error(`${proc.name} exited:\n${proc.tail()}`);
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} not ready at ${url}/readyz\n${proc.tail()}`);
    await sleep(300);
  }
}

/** Brings the whole cluster up (reusing the data folder of an earlier run) and returns its handles. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const apiCount = opts.apiCount ?? 2;
  const workerCount = opts.workerCount ?? 2;
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_CLUSTER_DIR);
  const ports = opts.ports ?? portsFromBases({ apis: apiCount, workers: workerCount });
  if (ports.apis.length < apiCount || ports.workers.length < workerCount)
    throw new Error('startCluster: ports has fewer APIs or workers than asked for');
  const dirs = { logs: path.join(dataDir, 'logs'), pids: path.join(dataDir, 'pids') };
  fs.mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the postgres user and must be able to pass through to its folder.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o711);
  const secrets = loadOrCreateSecrets(dataDir);
  const timings: Record<string, number> = {};
  const started: ClusterProcess[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    timings[name] = secondsSince(t0);
    return result;
  };

  const binaries = await timed('build', async () => {
    // The APIs serve the dashboard and the portal from web/dist: a fresh clone has none, and production processes
    // never build it themselves.
    if (webBuildStale()) {
      log('building the browser app (web/dist missing or stale)');
      await ensureWebBuild();
    }
    return ensureClusterBinaries({ cacheDir: opts.cacheDir, log });
  });

  const postgres = await preparePostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: ports.postgres,
    dirs,
    log,
  });
  const startPostgres = async () => {
    if (!postgres.alive) postgres.start();
    await waitForPostgres(postgres, ports.postgres);
  };

  const apiUrls = ports.apis.slice(0, apiCount).map((p) => `http://127.0.0.1:${p.http}`);
  const uiUrl = opts.ui === false ? null : `http://127.0.0.1:${ports.ui}`;
  // Links in emails and the UI's codec calls go to the first API; in production a load balancer's address.
  const publicUrl = opts.appEnv?.PUBLIC_URL ?? apiUrls[0];
  const codecEndpoint = `${publicUrl}/codec/operator/${secrets.codecOperatorToken}`;
  const { serverRoot, uiRoot } = writeConfigs(path.join(dataDir, 'config'), {
    ports: ports.temporal,
    db: { port: ports.postgres, user: 'temporal', password: secrets.temporalDbPassword },
    uiPort: ports.ui,
    codecEndpoint,
  });
  const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ };
  const temporal = new ClusterProcess(
    {
      name: 'temporal',
      command: binaries.server,
      args: ['--root', serverRoot, '--config', 'config', '--env', SERVER_ENV, '--allow-no-auth', 'start'],
      env: baseEnv,
      cwd: serverRoot,
      graceMs: 30_000,
    },
    dirs,
  );
  const temporalAddress = `127.0.0.1:${ports.temporal.frontend}`;
  const startTemporal = async () => {
    if (!temporal.alive) temporal.start();
    await ensureNamespace(temporalAddress, temporal);
  };
  const ui =
    opts.ui === false
      ? null
      : new ClusterProcess(
          {
            name: 'ui',
            command: binaries.ui,
            args: ['--root', uiRoot, '--config', 'config', '--env', SERVER_ENV, 'start'],
            env: baseEnv,
            cwd: uiRoot,
            graceMs: 5_000,
          },
          dirs,
        );

  let databaseUrl = '';
  const appEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...baseEnv,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATA_DIR: path.join(dataDir, 'app'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE.name,
    AUTH_SECRET: secrets.authSecret,
    TEMPORAL_CODEC_KEYS: secrets.codecKeys,
    TEMPORAL_CODEC_OPERATOR_TOKEN: secrets.codecOperatorToken,
    PUBLIC_URL: publicUrl,
    SEED_DEMO: 'false',
    ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    ...extra,
    ...opts.appEnv,
  });
  const node = (file: string) => ['--import', 'tsx', file];
  const apis = ports.apis.slice(0, apiCount).map(
    (p, i) =>
      new ClusterProcess(
        {
          name: `api${i + 1}`,
          command: process.execPath,
          args: node('app/api.ts'),
          env: {},
          cwd: rootDir,
          graceMs: 30_000,
        },
        dirs,
      ),
  );
  const workers = ports.workers.slice(0, workerCount).map(
    (_, i) =>
      new ClusterProcess(
        {
          name: `worker${i + 1}`,
          command: process.execPath,
          args: node('app/worker.ts'),
          env: {},
          cwd: rootDir,
          graceMs: 60_000,
        },
        dirs,
      ),
  );
  // The env is only known once the database URL is; spec objects are read at each start.
  const setEnvs = () => {
    apis.forEach((api, i) => {
      const p = ports.apis[i];
      api.spec.env = appEnv({
        PORT: String(p.http),
        METRICS_PORT: String(p.metrics),
        TEMPORAL_METRICS_PORT: String(p.temporalMetrics),
      });
    });
    workers.forEach((worker, i) => {
      const env = appEnv({ TEMPORAL_METRICS_PORT: String(ports.workers[i].temporalMetrics) });
      // startWorker() knows a worker polls by its "worker running" line, which is written at info.
      if (!['trace', 'debug', 'info'].includes(env.LOG_LEVEL ?? 'info')) env.LOG_LEVEL = 'info';
      worker.spec.env = env;
    });
  };
  const startApi = async (i: number) => {
    if (!apis[i].alive) apis[i].start();
    await waitForReady(apis[i], apiUrls[i]);
  };
  const startWorker = async (i: number) => {
    const worker = workers[i];
    if (worker.alive) return;
    const offset = worker.logOffset();
    worker.start();
    await worker.waitForLine(/"worker running"/, offset, 180_000);
  };
  const ensureUp = async () => {
    await startPostgres();
    await startTemporal();
    if (ui && !ui.alive) ui.start();
    await Promise.all([...apis.map((_, i) => startApi(i)), ...workers.map((_, i) => startWorker(i))]);
  };
  const stop = async () => {
    await Promise.allSettled([...apis, ...workers].map((p) => p.stop()));
    await Promise.allSettled([ui?.stop(), temporal.stop()]);
    await postgres.stop();
  };

  try {
    await timed('postgres', async () => {
      postgres.start();
      started.push(postgres);
      await waitForPostgres(postgres, ports.postgres);
      databaseUrl = (
        await ensureRoles(ports.postgres, {
          booking: secrets.bookingDbPassword,
          temporal: secrets.temporalDbPassword,
        })
      ).bookingUrl;
    });
    setEnvs();
    await timed('schema', () =>
      ensureTemporalSchema({
        sqlTool: binaries.sqlTool,
        schemaDir: binaries.schemaDir,
        port: ports.postgres,
        user: 'temporal',
        password: secrets.temporalDbPassword,
        log,
      }),
    );
    await timed('temporal', async () => {
      temporal.start();
      started.push(temporal);
      await ensureNamespace(temporalAddress, temporal);
      // Once, here, rather than by every API and worker racing to add the same attributes at their start.
      const client = await connectClient(temporalAddress, NAMESPACE.name, parseCodecKeys(secrets.codecKeys));
      try {
        // A namespace registered a moment ago reaches the frontend's namespace cache within its refresh (~10 s).
        const deadline = Date.now() + 60_000;
        for (;;) {
          try {
            await ensureSearchAttributes(client, NAMESPACE.name);
            break;
          } catch (err) {
            if ((err as { code?: number }).code !== status.NOT_FOUND || Date.now() > deadline) throw err;
            await sleep(500);
          }
        }
      } finally {
        await client.connection.close();
      }
    });
    if (ui) {
      ui.start();
      started.push(ui);
    }
    await timed('migrate', async () => {
      const db = createDatabase(databaseUrl);
      try {
        const applied = await migrate(db.sequelize);
        if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
        if (opts.seed !== false) {
          const seeded = await seedDemoPractice(db, {
            password: secrets.demoPassword,
            today: DateTime.now().setZone('America/New_York').toISODate()!,
            requestLifetimeHours: 168,
          });
          if (seeded) log('demo practice seeded');
        }
      } finally {
        await db.sequelize.close();
      }
    });
    await timed('apps', async () => {
      started.push(...apis, ...workers);
      await Promise.all([...apis.map((_, i) => startApi(i)), ...workers.map((_, i) => startWorker(i))]);
    });
  } catch (err) {
    await Promise.allSettled([...started].reverse().map((p) => p.stop()));
    throw err;
  }

  return {
    dataDir,
    ports,
    secrets,
    addresses: {
      apis: apiUrls,
      ui: uiUrl,
      temporal: temporalAddress,
      temporalHttp: `http://127.0.0.1:${ports.temporal.frontendHttp}`,
      temporalMetrics: `http://127.0.0.1:${ports.temporal.metrics}/metrics`,
      postgres: `127.0.0.1:${ports.postgres}`,
      databaseUrl,
      apiMetrics: ports.apis.slice(0, apiCount).map((p) => `http://127.0.0.1:${p.metrics}/metrics`),
      apiTemporalMetrics: ports.apis
        .slice(0, apiCount)
        .map((p) => `http://127.0.0.1:${p.temporalMetrics}/metrics`),
      workerTemporalMetrics: ports.workers
        .slice(0, workerCount)
        .map((p) => `http://127.0.0.1:${p.temporalMetrics}/metrics`),
      outbox: path.join(dataDir, 'app', 'outbox'),
    },
    postgres,
    temporal,
    ui,
    apis,
    workers,
    timings,
    startPostgres,
    startTemporal,
    startApi,
    startWorker,
    ensureUp,
    stop,
  };
}
