import path from 'node:path';
import http from 'node:http';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import {
  DefaultLogger,
  Runtime,
  type NativeConnection,
  type Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { createDatabase } from '../models/db';
import { migrate } from '../models/migrate';
import { startEmbeddedPostgres, ensureDatabase } from './postgres';
import { connectClient, connectWorker, ensureSearchAttributes } from '../temporal/connection';
import { startDevServer } from '../temporal/devServer';
import { createBookingWorker } from '../temporal/worker';
import { createApp } from '../api/app';
import { createHttpMetrics } from '../api/metrics';
import { answerClusterScrapes, serveMetrics } from '../api/metricsServer';
import { temporalMetricsBindAddress, type Config } from './config';
import { resolveAuthSecret } from './secret';
import { resolveCodecKeys } from '../temporal/codecKeys';
import { createMailer } from './mailer';
import { oneTimeCodes } from '../booking/oneTimeCodes';
import type { Store } from '../models/store';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';

/** Something started that must be stopped on the way out, in reverse order. */
export type Stopper = () => Promise<void>;

/** Prints one line per slow step with its duration, so a long first start never looks hung. */
export async function step<T>(
  name: string,
  fn: () => Promise<T>,
  print: (line: string) => void = console.log,
): Promise<T> {
  const t0 = performance.now();
  print(`… ${name}`);
  const result = await fn();
  print(`✓ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

/** The database: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR/postgres. */
export async function openDatabase(
  config: Config,
  opts: { allowEmbedded: boolean; progress?: (line: string) => void },
): Promise<{ db: Store; url: string; stops: Stopper[] }> {
  const stops: Stopper[] = [];
  let url = config.databaseUrl;
  if (!url) {
    if (!opts.allowEmbedded) throw new Error('DATABASE_URL is required to run this process on its own.');
    const pg = await step(
      `starting embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}`,
      () =>
        startEmbeddedPostgres({
          dataDir: path.join(config.dataDir, 'postgres'),
          port: config.embeddedPostgresPort,
          log: opts.progress,
        }),
      opts.progress,
    );
    stops.push(() => pg.stop());
    await ensureDatabase(pg.url('postgres'), 'booking');
    url = pg.url('booking');
  }
  const db = createDatabase(url);
  stops.unshift(() => db.sequelize.close());
  return { db, url, stops };
}

/** Applies pending migrations and reports which ran. */
export async function migrateDatabase(db: Store, progress?: (line: string) => void): Promise<void> {
  const applied = await step('applying database migrations', () => migrate(db.sequelize), progress);
  if (applied.length) progress?.(`  applied: ${applied.join(', ')}`);
}

/** Temporal: TEMPORAL_ADDRESS, or a dev server (Web UI included) with its SQLite file under DATA_DIR/temporal. */
export async function openTemporal(
  config: Config,
  opts: { allowDevServer: boolean; progress?: (line: string) => void },
): Promise<{ client: Client; address: string; uiUrl: string | null; stops: Stopper[] }> {
  const stops: Stopper[] = [];
  let address = config.temporalAddress;
  let uiUrl = config.temporalUiUrl;
  if (!address) {
    if (!opts.allowDevServer) throw new Error('TEMPORAL_ADDRESS is required to run this process on its own.');
    const server = await step(
      `starting Temporal dev server on 127.0.0.1:${config.temporalDevPort} (Web UI on ${config.temporalUiPort})`,
      () =>
        startDevServer({
          port: config.temporalDevPort,
          uiPort: config.temporalUiPort,
          dbFile: path.join(config.dataDir, 'temporal', 'dev.sqlite'),
          namespace: config.temporalNamespace,
          // The UI decrypts through the API's codec endpoint, with the operator token when there is one.
          uiCodecEndpoint: config.codecOperatorToken
            ? `${config.publicUrl}/codec/operator/${config.codecOperatorToken}`
            : `${config.publicUrl}/codec`,
          log: opts.progress,
        }),
      opts.progress,
    );
    stops.push(() => server.stop());
    address = server.address;
    uiUrl = server.uiUrl;
  }
  // With the SDK's metrics on, the client goes through its core too, so starts, signals and updates are measured.
  const native = config.temporalMetricsPort !== null;
  if (native && installedMetricsUrl === undefined)
    throw new Error(
      'openTemporal: installTemporalRuntime(log, config) must run first when TEMPORAL_METRICS_PORT is set',
    );
  const client = await connectClient(
    address,
    config.temporalNamespace,
    resolveCodecKeys(config.codecKeys, config.dataDir),
    { native },
  );
  stops.unshift(() => client.connection.close());
  await ensureSearchAttributes(client, config.temporalNamespace);
  return { client, address, uiUrl, stops };
}

/** The SDK exporter's address once the runtime is installed (null: installed without metrics). */
let installedMetricsUrl: string | null | undefined;

/**
 * Where the SDK's log lines go: our logger (errors summarised by its serializers). A failed activity attempt is
 * logged by the activity wrapper (activities/failures.ts) with the step's ids, so the SDK's copy drops to debug.
 */
export function temporalLogSink(log: Logger) {
  return ({ level, message, meta }: { level: string; message: string; meta?: Record<string, unknown> }) => {
    const fields = { sdk: true, ...meta };
    if (message === 'Activity failed') log.debug(fields, message);
    else if (level === 'ERROR') log.error(fields, message);
    else log.warn(fields, message);
  };
}

/**
 * Routes the Temporal SDK's own logs (worker, core) through our logger, at warn and above, and with
 * TEMPORAL_METRICS_PORT set starts its Prometheus exporter (workflow-task and activity latencies, polls, the client's
 * requests). Once per process, before any connection: the SDK reads these options when it creates its runtime.
 * Returns the exporter's /metrics address, or null.
 */
export function installTemporalRuntime(
  log: Logger,
  config: Pick<Config, 'host' | 'temporalMetricsPort'> = { host: '127.0.0.1', temporalMetricsPort: null },
): string | null {
  const bindAddress =
    config.temporalMetricsPort === null
      ? null
      : temporalMetricsBindAddress(config, config.temporalMetricsPort);
  const url = bindAddress === null ? null : `http://${bindAddress}/metrics`;
  if (installedMetricsUrl !== undefined) {
    // A second call asking for metrics the first did not start would otherwise be silently without them.
    if (url !== null && url !== installedMetricsUrl)
      throw new Error(`the Temporal runtime is already installed without the metrics exporter at ${url}`);
    return installedMetricsUrl;
  }
  Runtime.install({
    // Signals are ours (lifecycle below): the SDK's own hook would shut the worker down and end the process
    // behind our back, before the API has drained and the database closed.
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', temporalLogSink(log)),
    ...(bindAddress === null ? {} : { telemetryOptions: { metrics: { prometheus: { bindAddress } } } }),
  });
  installedMetricsUrl = url;
  return url;
}

/** Starts the worker; its stopper drains in-flight tasks before returning. */
export async function runWorker(
  config: Config,
  deps: { db: Store; clock: Clock; log: Logger; address: string; workflowBundle?: WorkflowBundle },
): Promise<{ worker: Worker; stops: Stopper[] }> {
  installTemporalRuntime(deps.log);
  const connection: NativeConnection = await connectWorker(deps.address);
  const workerLog = deps.log.child({ part: 'worker' });
  const worker = await createBookingWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    codecKeys: resolveCodecKeys(config.codecKeys, config.dataDir),
    workflowBundle: deps.workflowBundle,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    deps: {
      db: deps.db,
      clock: deps.clock,
      log: workerLog,
      mailer: createMailer(config, workerLog),
      publicUrl: config.publicUrl,
      // The same secret as the API's, which checks the codes this worker emails.
      codes: oneTimeCodes(resolveAuthSecret(config.authSecret, config.dataDir)),
    },
  });
  const running = worker.run();
  running.catch((err: unknown) => deps.log.error({ err }, 'worker stopped with an error'));
  const stop: Stopper = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => {});
    await connection.close();
  };
  return { worker, stops: [stop] };
}

/** Starts the HTTP API; its stopper stops accepting, lets in-flight requests finish, then closes. */
export async function runApi(
  config: Config,
  deps: { db: Store; temporal: Client; clock: Clock; log: Logger },
): Promise<{ server: http.Server; url: string; metricsUrl: string | null; stops: Stopper[] }> {
  const authSecret = resolveAuthSecret(config.authSecret, config.dataDir);
  const log = deps.log.child({ part: 'api' });
  const metrics = config.metricsPort === null ? undefined : createHttpMetrics();
  const app = createApp({
    ...deps,
    config: { ...config, authSecret, codecKeys: resolveCodecKeys(config.codecKeys, config.dataDir) },
    log,
    mailer: createMailer(config, log),
    metrics,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const stop: Stopper = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  const stops: Stopper[] = [];
  let metricsUrl: string | null = null;
  // Under the cluster primary the port is the primary's (the sum of every process); a process answers its asks.
  if (metrics && cluster.isWorker) answerClusterScrapes(metrics.registry);
  else if (metrics) {
    const listener = await serveMetrics(config.metricsPort!, config.host, () =>
      metrics.registry.metrics(),
    ).catch(async (err: unknown) => {
      await stop();
      throw err;
    });
    stops.push(listener.close);
    metricsUrl = listener.url;
  }
  // The API drains first; the metrics listener goes last, so a final scrape still sees the drained requests.
  return { server, url: `http://localhost:${port}`, metricsUrl, stops: [stop, ...stops] };
}

/** Runs the stoppers in order once; returns whether every one succeeded. */
async function runStoppers(stops: Stopper[], print: (line: string) => void): Promise<boolean> {
  let ok = true;
  for (const stop of stops) {
    try {
      await stop();
    } catch (err) {
      ok = false;
      print(`shutdown step failed: ${String(err)}`);
    }
  }
  return ok;
}

/**
 * Process lifecycle for the entry points: stops everything on SIGINT/SIGTERM (a second signal exits at once),
 * and on a failed start stops what had started before exiting, so no embedded server is left behind.
 */
export function lifecycle(stops: () => Stopper[], print: (line: string) => void = console.log) {
  let stopping = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) {
      print(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    print(`${signal}: shutting down`);
    const ok = await runStoppers(stops(), print);
    print('stopped');
    process.exit(ok ? 0 : 1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    /** Reports a failed start, stops what had started, and exits non-zero. */
    async failed(err: unknown): Promise<never> {
      print(`start failed: ${err instanceof Error ? err.message : String(err)}`);
      stopping = true;
      await runStoppers(stops(), print);
      process.exit(1);
    },
  };
}
