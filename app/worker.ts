import { loadConfig } from './config';
import { createLogger } from '../lib/logger';
import { systemClock } from '../lib/clock';
import {
  openDatabase,
  openTemporal,
  runWorker,
  lifecycle,
  installTemporalRuntime,
  type Stopper,
} from './runtime';

/** `npm run worker`: the Temporal worker alone, against DATABASE_URL and TEMPORAL_ADDRESS, as in production. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  const stops: Stopper[] = [];
  const life = lifecycle(
    () => stops,
    (line) => log.info(line),
  );
  try {
    const temporalMetricsUrl = installTemporalRuntime(log, config);
    const database = await openDatabase(config, { allowEmbedded: false });
    stops.unshift(...database.stops);
    const temporal = await openTemporal(config, { allowDevServer: false });
    stops.unshift(...temporal.stops);
    const worker = await runWorker(config, {
      db: database.db,
      clock: systemClock,
      log,
      address: temporal.address,
    });
    stops.unshift(...worker.stops);
    log.info({ taskQueue: config.taskQueue, temporalMetricsUrl }, 'worker running');
  } catch (err) {
    await life.failed(err);
  }
}

void main();
