import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createOutboxMailer } from '../../emails/mailer';
import { diagnosticsWorkflow } from '../../workflows/diagnostics';
import { useFreshDatabase } from '../support/database';
import { sharedWorkflowBundle, timeSkippingEnvironment, uniqueTaskQueue } from '../support/temporal';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { testDataConverter } from '../support/codecKeys';

describe('diagnosticsWorkflow (time-skipping smoke test of the harness)', function () {
  this.timeout(120_000);
  const database = useFreshDatabase();
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await timeSkippingEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  it('runs on the bundled workflow code with real activities that reach PostgreSQL', async () => {
    const taskQueue = uniqueTaskQueue();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      dataConverter: testDataConverter(),
      activities: createActivities({
        db: database.db,
        clock: systemClock,
        log: createLogger('silent'),
        mailer: createOutboxMailer({ dir: '/nonexistent-never-written' }),
        publicUrl: 'http://portal.test',
        codes: oneTimeCodes('diagnostics-test-secret-not-used-for-anything'),
      }),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(diagnosticsWorkflow, { taskQueue, workflowId: `diagnostics-${taskQueue}` }),
    );
    expect(result.taskQueue).to.equal(taskQueue);
    expect(Number.isNaN(Date.parse(result.databaseTime))).to.equal(false);
  });
});
