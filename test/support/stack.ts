import { randomBytes } from 'node:crypto';
import type { Store } from '../../models/store';
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../../app/config';
import { createLogger, type Logger } from '../../lib/logger';
import { systemClock, type Clock } from '../../lib/clock';
import { runApi, runWorker, type Stopper } from '../../app/runtime';
import { connectClient } from '../../temporal/connection';
import { sharedDevServer, sharedWorkflowBundle, uniqueTaskQueue } from './temporal';
import { testCodecKeys } from './codecKeys';

/** The API (and optionally the worker) running in this process against a test database and the shared dev server. */
export interface TestStack {
  url: string;
  config: Config;
  temporal: Client;
  stop(): Promise<void>;
}

/** Starts the real HTTP API on a free port, and the real worker on a task queue of its own when asked. */
export async function startStack(opts: {
  db: Store;
  clock?: Clock;
  worker?: boolean;
  env?: Record<string, string>;
  /** Where the API's and worker's log lines go; silent (or TEST_LOG_LEVEL) unless a test reads them. */
  log?: Logger;
}): Promise<TestStack> {
  const server = await sharedDevServer();
  const loaded = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    PUBLIC_URL: 'http://portal.test',
    TEMPORAL_ADDRESS: server.address,
    ...opts.env,
  });
  const config: Config = {
    ...loaded,
    authSecret: randomBytes(32).toString('hex'),
    taskQueue: uniqueTaskQueue(),
    // Unless the test names its own: never a development key written into the repository's .data.
    codecKeys: loaded.codecKeys ?? testCodecKeys,
  };
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const temporal = await connectClient(server.address, config.temporalNamespace, config.codecKeys!);
  const stops: Stopper[] = [() => temporal.connection.close()];
  if (opts.worker) {
    const worker = await runWorker(config, {
      db: opts.db,
      clock,
      log,
      address: server.address,
      workflowBundle: await sharedWorkflowBundle(),
    });
    stops.unshift(...worker.stops);
  }
  const api = await runApi(config, { db: opts.db, temporal, clock, log });
  stops.unshift(...api.stops);
  return {
    url: api.url,
    config,
    temporal,
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}
