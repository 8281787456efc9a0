import type { Store } from '../../models/store';
import type { Logger } from '../../lib/logger';
import { fixedClock } from '../../lib/clock';
import { freshDatabase } from '../support/database';
import { startStack, type TestStack } from '../support/stack';
import { httpClient, type HttpClient } from '../support/http';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';

/** In a describe block: per test a fresh database, the real API over HTTP, and a movable clock. */
export function useApi(
  // env may be a function, read in each beforeEach, for values known only once a before hook has run (a server's url).
  opts: {
    worker?: boolean;
    now?: string;
    env?: Record<string, string> | (() => Record<string, string>);
    log?: Logger;
  } = {},
) {
  const state: {
    db?: Store;
    stack?: TestStack;
    http?: HttpClient;
    drop?: () => Promise<void>;
    clock?: ReturnType<typeof fixedClock>;
  } = {};
  beforeEach(async function () {
    this.timeout(120_000);
    const database = await freshDatabase();
    state.db = database.db;
    state.drop = database.drop;
    state.clock = fixedClock(opts.now ?? '2026-06-01T12:00:00Z');
    const env = typeof opts.env === 'function' ? opts.env() : opts.env;
    state.stack = await startStack({
      db: database.db,
      clock: state.clock,
      worker: opts.worker,
      env,
      log: opts.log,
    });
    state.http = httpClient(state.stack.url);
  });
  afterEach(async function () {
    await state.stack?.stop();
    await state.drop?.();
  });
  return {
    get db() {
      return state.db!;
    },
    get http() {
      return state.http!;
    },
    get stack() {
      return state.stack!;
    },
    get clock() {
      return state.clock!;
    },
  };
}

/**
 * useApi with its worker, and emails through the real Resend SDK to a capture server of this describe block's own
 * (the inbox the tests read): the capture server starts before the app is configured and closes after the block.
 */
export function useMailedApi() {
  let capture: CaptureServer | undefined;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture?.close();
  });
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture!.url }),
  });
  return {
    ctx,
    get capture(): CaptureServer {
      return capture!;
    },
  };
}
