/**
 * Records workflow histories with the workflow code of an earlier commit, for the replay test next to this folder.
 * Not part of the suite (its name does not end in .test.ts). To record from commit C:
 *   mkdir /tmp/old && git archive C | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   OLD_WORKFLOWS=/tmp/old/workflows/index.ts HISTORY_PREFIX=c- npx mocha test/workflows/histories/record.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import proto from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../../activities';
import { fixedClock } from '../../../lib/clock';
import { createLogger } from '../../../lib/logger';
import { createResendMailer } from '../../../emails/mailer';
import { submitRequest } from '../../../booking/submitRequest';
import { issueEmailVerification } from '../../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../../temporal/requests';
import { startCancellation } from '../../../temporal/cancellations';
import { useWorkflowTestbed } from '../../support/workflowTestbed';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../../fixtures';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');

describe('record histories with earlier workflow code', function () {
  this.timeout(300_000);
  const tb = useWorkflowTestbed();
  let bundle: WorkflowBundle;
  before(async function () {
    if (!process.env.OLD_WORKFLOWS) this.skip();
    bundle = await bundleWorkflowCode({ workflowsPath: process.env.OLD_WORKFLOWS! });
  });

  const oldWorker = async () =>
    Worker.create({
      connection: tb.env.nativeConnection,
      taskQueue: tb.taskQueue,
      workflowBundle: bundle,
      activities: createActivities({
        db: tb.db,
        clock: fixedClock(NOW),
        log: createLogger('silent'),
        mailer: createResendMailer({
          apiKey: 're_test_key',
          from: 'b@practice.test',
          baseUrl: tb.capture.url,
        }),
        publicUrl: 'http://portal.test',
        codes: tb.codes,
      }),
    });

  const save = async (name: string, handle: WorkflowHandle) => {
    const history = await handle.fetchHistory();
    // Binary protobuf: the SDK's historyToJSON needs the protobufjs instance its own CommonJS build loaded.
    fs.writeFileSync(
      path.join(HERE, `${process.env.HISTORY_PREFIX ?? ''}${name}.history.bin`),
      proto.temporal.api.history.v1.History.encode(history).finish(),
    );
  };

  async function aRequest() {
    const practice = await aPractice(tb.db);
    const consultation = await aService(tb.db, practice, { durationMinutes: 30 });
    const clinician = await aClinician(tb.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
      },
    });
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        requester: {
          newClient: {
            firstName: 'Robin',
            lastName: 'Reyes',
            email: 'robin@example.test',
            phone: '+1 555 0123',
          },
          emailVerificationCode: tb.codes.codeFor(
            'email-verification',
            await issueEmailVerification(tb.db, {
              practiceId: practice.id,
              email: 'robin@example.test',
              now: new Date(NOW),
            }),
          ),
        },
        clientTimeZone: 'America/Chicago',
        now: new Date(NOW),
        codes: tb.codes,
      },
      (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
    );
    return { request, clinician, handle: tb.env.client.workflow.getHandle(requestWorkflowId(request.id)) };
  }

  it('a request approved after its emails, and one still pending', async () => {
    const worker = await oldWorker();
    await worker.runUntil(async () => {
      const approved = await aRequest();
      await tb.env.sleep('1 minute');
      await decideRequest(tb.env.client, approved.request.id, {
        kind: 'approve',
        actorId: approved.clinician.id,
      });
      await approved.handle.result();
      await save('request-approved', approved.handle);
      const waiting = await aRequest();
      await tb.env.sleep('1 hour');
      await save('request-pending', waiting.handle);
    });
  });

  it('a client cancelation, and one whose client email the provider rejected', async () => {
    const practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
    const service = await aService(tb.db, practice);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice);
    const worker = await oldWorker();
    await worker.runUntil(async () => {
      for (const [name, reject] of [
        ['cancellation-canceled', 0],
        ['cancellation-email-rejected', 1],
      ] as const) {
        const appointment = await anAppointment(tb.db, {
          practice,
          clinician,
          client,
          service,
          startsAt: new Date(SLOT.getTime() + reject * 7_200_000),
        });
        tb.capture.rejectNext(reject);
        const handle = await startCancellation(tb.env.client, tb.taskQueue, {
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: clinician.id,
          requestedAt: NOW,
          by: 'client',
          notifyClient: true,
          actorId: client.id,
        });
        await handle.result();
        await save(name, handle);
      }
    });
  });
});
