import { DateTime } from 'luxon';
import { loadConfig } from './config';
import { createLogger } from '../lib/logger';
import { systemClock } from '../lib/clock';
import {
  openDatabase,
  migrateDatabase,
  openTemporal,
  runWorker,
  runApi,
  lifecycle,
  installTemporalRuntime,
  step,
  type Stopper,
} from './runtime';
import { seedDemoPractice, demoAccounts } from '../models/seed';
import { ensureWebBuild, webBuildStale } from './webBuild';
import { resolveCodecOperatorToken } from '../temporal/codecKeys';

/** `npm start`: the whole stack on one machine, on embedded defaults unless DATABASE_URL / TEMPORAL_ADDRESS say otherwise. */
async function main(): Promise<void> {
  const t0 = performance.now();
  const loaded = loadConfig();
  // The dev server's Web UI reaches the codec endpoint with this token; an operator's browser needs nothing else.
  const config = {
    ...loaded,
    codecOperatorToken: resolveCodecOperatorToken(loaded.codecOperatorToken, loaded.dataDir),
  };
  const log = createLogger(config.logLevel);
  const print = (line: string) => console.log(line);
  const stops: Stopper[] = [];
  const life = lifecycle(() => stops, print);
  try {
    // Before the dev server or any worker exists: the SDK's runtime is configured once per process.
    const temporalMetricsUrl = installTemporalRuntime(log, config);
    const database = await openDatabase(config, { allowEmbedded: true, progress: print });
    stops.unshift(...database.stops);
    await migrateDatabase(database.db, print);
    if (config.seedDemo) {
      const today = DateTime.now().setZone('America/New_York').toISODate()!;
      const seeded = await step('seeding the demo practice (first start only)', () =>
        seedDemoPractice(database.db, {
          password: config.demoPassword,
          today,
          requestLifetimeHours: config.requestLifetimeHours,
        }),
      );
      if (seeded) print('  demo practice created');
    }

    const temporal = await openTemporal(config, { allowDevServer: true, progress: print });
    stops.unshift(...temporal.stops);

    const worker = await step('starting the Temporal worker (bundles workflow code)', () =>
      runWorker(config, { db: database.db, clock: systemClock, log, address: temporal.address }),
    );
    stops.unshift(...worker.stops);

    if (webBuildStale()) await step('building the browser app (web/dist missing or stale)', ensureWebBuild);
    const api = await step('starting the HTTP API', () =>
      runApi(config, { db: database.db, temporal: temporal.client, clock: systemClock, log }),
    );
    stops.unshift(...api.stops);

    print('');
    print(`Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    print(`  API:           ${api.url}   (readiness: ${api.url}/readyz, docs: ${api.url}/docs)`);
    print(`  Client portal: ${config.publicUrl}/portal/demo`);
    print(`  Dashboard:     ${config.publicUrl}/app`);
    print(`  Temporal UI:   ${temporal.uiUrl ?? '(external Temporal: see your cluster UI)'}`);
    if (api.metricsUrl) print(`  HTTP metrics:  ${api.metricsUrl}`);
    if (temporalMetricsUrl) print(`  SDK metrics:   ${temporalMetricsUrl}   (Temporal worker and client)`);
    if (config.seedDemo) {
      print(
        `  Demo sign-in:  ${demoAccounts.map((a) => a.email).join(', ')}  password: ${config.demoPassword}`,
      );
    }
    print('Ctrl-C stops everything.');
  } catch (err) {
    await life.failed(err);
  }
}

void main();
