import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from '../tools/temporal/resolve';
import { bookingSearchAttributes } from './searchAttributes';

/** A Temporal dev server started by this process; stop() ends it. */
export interface DevServer {
  address: string;
  uiUrl: string | null;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` (Web UI included when uiPort is given) with the booking search
 * attributes registered; with dbFile, workflow history survives a restart.
 */
export async function startDevServer(opts: {
  port?: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  /** The remote codec the Web UI calls to show payloads decrypted (--ui-codec-endpoint). */
  uiCodecEndpoint?: string;
  log?: (msg: string) => void;
}): Promise<DevServer> {
  const executable = await resolveTemporalCli({ log: opts.log });
  if (opts.dbFile) fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      ip: '127.0.0.1',
      port: opts.port,
      ui: opts.uiPort !== undefined,
      uiPort: opts.uiPort,
      dbFilename: opts.dbFile,
      namespace: opts.namespace ?? 'default',
      searchAttributes: bookingSearchAttributes,
      log: { format: 'json', level: 'error' },
      extraArgs: opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : [],
    },
  });
  const address = env.address;
  return {
    address,
    uiUrl: opts.uiPort !== undefined ? `http://localhost:${opts.uiPort}` : null,
    env,
    stop: () => env.teardown(),
  };
}
