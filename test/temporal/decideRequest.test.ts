import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { submitRequest, type Requester } from '../../booking/submitRequest';
import { issueEmailVerification } from '../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import type { Practice, Service, StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { uniqueTaskQueue } from '../support/temporal';
import { aConsultingClinician } from '../fixtures';
import { testDataConverter } from '../support/codecKeys';

const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');

describe('decideRequest: only a refusal is REQUEST_NOT_PENDING, with the real status (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;

  beforeEach(async () => {
    ({ practice, consultation, clinician } = await aConsultingClinician(tb.db));
  });

  async function pendingRequest() {
    const email = `decide-${randomUUID().slice(0, 8)}@example.test`;
    const id = await issueEmailVerification(tb.db, { practiceId: practice.id, email, now: new Date(NOW) });
    const requester: Requester = {
      newClient: { firstName: 'Dee', lastName: 'Cider', email, phone: '+1 555 0111' },
      emailVerificationCode: tb.codes.codeFor('email-verification', id),
    };
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        requester,
        now: new Date(NOW),
        codes: tb.codes,
      },
      (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
    );
    const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
    while ((await handle.query(getStatusQuery)).status !== 'pending') await tb.env.sleep('1 second');
    return { request, handle };
  }

  it('names the status a running workflow refuses from (its validator), not a made-up "pending"', async () => {
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      const { request, handle } = await pendingRequest();
      // The decline's email keeps failing, so the workflow is still running (declined) when the approval comes.
      tb.capture.failNext(1_000, 500);
      expect(
        await decideRequest(tb.env.client, request.id, { kind: 'decline', actorId: clinician.id }),
      ).to.include({ ok: true, status: 'declined' });
      const late = await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id });
      expect(late).to.deep.equal({
        ok: false,
        code: 'REQUEST_NOT_PENDING',
        message: 'This request is already declined.',
        status: 'declined',
      });
      await handle.terminate('test over');
    });
  });

  it('names the status a finished workflow ended with', async () => {
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      const { request, handle } = await pendingRequest();
      await decideRequest(tb.env.client, request.id, { kind: 'withdraw', clientId: randomUUID() });
      expect(await handle.result()).to.include({ status: 'withdrawn' });
      const late = await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id });
      expect(late).to.include({ ok: false, code: 'REQUEST_NOT_PENDING', status: 'withdrawn' });
    });
  });

  it('throws when the update fails for any other reason (a failed step, a bug): never REQUEST_NOT_PENDING', async () => {
    const taskQueue = uniqueTaskQueue('failing-decision');
    const worker = await Worker.create({
      connection: tb.env.nativeConnection,
      taskQueue,
      dataConverter: testDataConverter(),
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL('./doubles/failingDecisionWorkflow.ts', import.meta.url)),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
      }),
      activities: {
        async failingStep() {
          throw ApplicationFailure.nonRetryable(
            "Cannot read properties of undefined (reading 'id')",
            'TypeError',
          );
        },
      },
    });
    const requestId = randomUUID();
    await worker.runUntil(async () => {
      await tb.env.client.workflow.start('failingDecisionWorkflow', {
        taskQueue,
        workflowId: requestWorkflowId(requestId),
      });
      let thrown: unknown = null;
      try {
        const answer = await decideRequest(tb.env.client, requestId, {
          kind: 'approve',
          actorId: randomUUID(),
        });
        expect.fail(`answered ${JSON.stringify(answer)}`);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(WorkflowUpdateFailedError);
      await tb.env.client.workflow.getHandle(requestWorkflowId(requestId)).terminate('test over');
    });
  });
});
