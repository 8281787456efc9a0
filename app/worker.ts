import { loadConfig } from './config';
import { createLogger } from './logger';
import { systemClock } from './clock';
import { openDatabase, openTemporal, runWorker, stopOnSignals, type Stopper } from './runtime';

/** `npm run worker`: the Temporal worker alone, against DATABASE_URL and TEMPORAL_ADDRESS, as in production. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  const stops: Stopper[] = [];
  stopOnSignals(
    () => stops,
    (line) => log.info(line),
  );
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
  log.info({ taskQueue: config.taskQueue }, 'worker running');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
