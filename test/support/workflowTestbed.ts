import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createResendMailer } from '../../emails/mailer';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { useFreshDatabase } from './database';
import { sharedWorkflowBundle, timeSkippingEnvironment, uniqueTaskQueue } from './temporal';
import { startCaptureServer, type CaptureServer } from './captureServer';
import { testDataConverter } from './codecKeys';

/**
 * In a describe block: per test a fresh database, a time-skipping server of its own (about 0.4 s, so time
 * skipping never waits on another test's leftovers) and a task queue; per file a capture server behind the real
 * Resend SDK. worker(now) builds the real worker with every activity, its clock fixed at now; codes derives portal codes as
 * that worker does.
 */
export function useWorkflowTestbed() {
  const database = useFreshDatabase();
  // The worker derives the portal codes it emails from this, as the API would check them.
  const codes = oneTimeCodes(randomBytes(32).toString('hex'));
  const state: { env?: TestWorkflowEnvironment; capture?: CaptureServer; taskQueue?: string } = {};
  before(async () => {
    state.capture = await startCaptureServer();
  });
  after(async () => {
    await state.capture?.close();
  });
  beforeEach(async () => {
    state.env = await timeSkippingEnvironment();
    state.capture!.reset();
    state.taskQueue = uniqueTaskQueue();
  });
  afterEach(async () => {
    await state.env?.teardown();
  });
  return {
    get db() {
      return database.db;
    },
    get env() {
      return state.env!;
    },
    get capture() {
      return state.capture!;
    },
    get taskQueue() {
      return state.taskQueue!;
    },
    codes,
    async worker(now: Date | string): Promise<Worker> {
      return Worker.create({
        connection: state.env!.nativeConnection,
        taskQueue: state.taskQueue!,
        workflowBundle: await sharedWorkflowBundle(),
        dataConverter: testDataConverter(),
        activities: createActivities({
          db: database.db,
          clock: fixedClock(now),
          log: createLogger('silent'),
          mailer: createResendMailer({
            apiKey: 're_test_key',
            from: 'Booking <booking@practice.test>',
            baseUrl: state.capture!.url,
          }),
          publicUrl: 'http://portal.test',
          codes,
        }),
      });
    },
  };
}
