import { loadConfig } from './config';
import { createLogger } from '../lib/logger';
import { systemClock } from '../lib/clock';
import cluster from 'node:cluster';
import { apiProcessSlot, runApiCluster } from './apiCluster';
import {
  openDatabase,
  openTemporal,
  runApi,
  lifecycle,
  installTemporalRuntime,
  type Stopper,
} from './runtime';

/** `npm run api`: the HTTP API alone, against DATABASE_URL and TEMPORAL_ADDRESS, as in production. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'api');
  const stops: Stopper[] = [];
  const life = lifecycle(
    () => stops,
    (line) => log.info(line),
  );
  try {
    // Before any connection; under the primary each process takes its own exporter port (one per place).
    const temporalMetricsUrl = installTemporalRuntime(log, {
      host: config.host,
      temporalMetricsPort:
        config.temporalMetricsPort === null ? null : config.temporalMetricsPort + apiProcessSlot(),
    });
    const database = await openDatabase(config, { allowEmbedded: false });
    stops.unshift(...database.stops);
    const temporal = await openTemporal(config, { allowDevServer: false });
    stops.unshift(...temporal.stops);
    const api = await runApi(config, { db: database.db, temporal: temporal.client, clock: systemClock, log });
    stops.unshift(...api.stops);
    log.info({ url: api.url, metricsUrl: api.metricsUrl, temporalMetricsUrl }, 'API listening');
  } catch (err) {
    await life.failed(err);
  }
}

const config = loadConfig();
// Several processes on one port: the primary only forks and watches; each child runs main() as a single API would.
if (config.apiProcesses > 1 && cluster.isPrimary)
  runApiCluster(config.apiProcesses, createLogger(config.logLevel, 'api'), {
    port: config.metricsPort,
    host: config.host,
  });
else void main();
