import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../lib/logger';
import { clusterExposition, serveMetrics } from '../api/metricsServer';

/**
 * The environment variable telling a forked process its place (0 … count-1): a process forked again after a death
 * takes the dead one's place, so per-process ports (TEMPORAL_METRICS_PORT + place) stay where an operator's scrape
 * configuration expects them.
 */
export const API_PROCESS_SLOT = 'API_PROCESS_SLOT';

/** This process's place under the primary (0 when not forked by it). */
export function apiProcessSlot(): number {
  const n = Number(process.env[API_PROCESS_SLOT] ?? 0);
  return cluster.isWorker && Number.isInteger(n) && n >= 0 ? n : 0;
}

// A child that dies this soon after it was forked is probably failing at start (bad database address, port taken):
// it is forked again after a pause instead of in a tight loop.
const QUICK_DEATH_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;
// A child still there this long after SIGTERM gets SIGKILL: its own shutdown drains in-flight requests first.
const STOP_GRACE_MS = 20_000;

/**
 * The node:cluster primary of `npm run api` with API_PROCESSES > 1: it forks `count` children that each run the
 * whole API (their own pools and Temporal client) and listen on the one port, the primary handing out
 * connections in turn. A child only receives connections once it listens, which it does after its database and
 * Temporal are open, so a child that is still starting (or restarting) never answers. A child that exits while
 * the primary is not stopping is forked again. SIGTERM/SIGINT go to every child, whose own lifecycle drains its
 * server; the primary exits once all of them have, 0 when every one exited 0.
 *
 * The primary loads no application code: it holds no connection, so it has nothing to drain and cannot fail. With
 * METRICS_PORT set it also serves the sum of its processes' HTTP metrics (api/metricsServer.ts), asked over the
 * cluster's own channel, so one scrape target describes the one port; per-process figures would need a target per
 * process behind a port that hides which process answered.
 */
export function runApiCluster(
  count: number,
  log: Logger,
  metrics: { port: number | null; host: string } = { port: null, host: '127.0.0.1' },
): void {
  let stopping = false;
  let failures = 0;
  // Children alive, by cluster id, with when each was forked (cluster.workers may still list one that has exited).
  const forkedAt = new Map<number, number>();
  const slotOf = new Map<number, number>();

  const fork = (slot: number) => {
    const child = cluster.fork({ [API_PROCESS_SLOT]: String(slot) });
    forkedAt.set(child.id, Date.now());
    slotOf.set(child.id, slot);
  };

  cluster.on('exit', (child: Worker, code: number | null, signal: string | null) => {
    const lived = Date.now() - (forkedAt.get(child.id) ?? 0);
    const slot = slotOf.get(child.id) ?? 0;
    forkedAt.delete(child.id);
    slotOf.delete(child.id);
    if (code !== 0) failures++;
    if (stopping) {
      if (forkedAt.size === 0) {
        log.info({ failures }, 'API processes stopped');
        process.exit(failures === 0 ? 0 : 1);
      }
      return;
    }
    log.error({ pid: child.process.pid, code, signal }, 'API process exited: starting another');
    if (lived < QUICK_DEATH_MS) setTimeout(() => !stopping && fork(slot), RESTART_PAUSE_MS).unref();
    else fork(slot);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again: exiting now`);
      for (const child of Object.values(cluster.workers ?? {})) child?.process.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    failures = 0;
    log.info(`${signal}: stopping ${forkedAt.size} API processes`);
    if (forkedAt.size === 0) process.exit(0);
    for (const child of Object.values(cluster.workers ?? {})) child?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const child of Object.values(cluster.workers ?? {})) child?.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const forkAll = () => {
    for (let i = 0; i < count; i++) fork(i);
    log.info({ processes: count }, 'API primary started');
  };
  if (metrics.port === null) return forkAll();
  // One scrape target for the one port: the primary sums what every process counted (api/metricsServer.ts).
  const expose = clusterExposition();
  serveMetrics(metrics.port, metrics.host, expose).then(
    ({ url }) => {
      log.info({ metricsUrl: url }, 'API metrics (every process) listening');
      if (!stopping) forkAll();
    },
    (err: unknown) => {
      log.error({ err }, 'API metrics listener failed to start');
      process.exit(1);
    },
  );
}
