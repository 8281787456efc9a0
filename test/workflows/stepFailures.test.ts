import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import { problemFromBookingError } from '../../api/errors';
import { BookingError } from '../../booking/errors';
import { createActivities } from '../../activities';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createResendMailer } from '../../emails/mailer';
import { createDatabase } from '../../models/db';
import { cancelAndWait, cancellationWorkflowId, startCancellation } from '../../temporal/cancellations';
import { requestWorkflowId } from '../../temporal/requests';
import { attentionKey, bookingStatusKey } from '../../temporal/searchAttributes';
import { getCancellationStatusQuery } from '../../workflows/cancellation';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { ATTENTION_AFTER_ATTEMPTS } from '../../workflows/stepAttention';
import { type Client, type Practice, type Service, type StaffUser } from '../../models';
import { sharedWorkflowBundle, uniqueTaskQueue } from '../support/temporal';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../fixtures';
import { testDataConverter } from '../support/codecKeys';

const HOUR = 3_600_000;
const STARTS = new Date('2026-06-10T14:00:00Z');
const at = (ms: number) => new Date(STARTS.getTime() + ms);

/** A logger whose JSON lines land in an array, as an operator's log pipeline would receive them. */
function capturedLog() {
  const lines: string[] = [];
  const log = createLogger('debug', 'worker', { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('steps that fail: logged, shown in getStatus and BookingAttention, and never jammed (time-skipping)', function () {
  this.timeout(180_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;

  beforeEach(async () => {
    practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
    service = await aService(tb.db, practice);
    clinician = await aClinician(tb.db, practice);
    client = await aClient(tb.db, practice, { firstName: 'Casey', lastName: 'Whitfield-Oyelaran' });
  });

  async function workerWithLog(
    now: Date,
    opts: { db?: ReturnType<typeof createDatabase>; queue?: string } = {},
  ) {
    const captured = capturedLog();
    const worker = await Worker.create({
      connection: tb.env.nativeConnection,
      taskQueue: opts.queue ?? tb.taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      dataConverter: testDataConverter(),
      activities: createActivities({
        db: opts.db ?? tb.db,
        clock: fixedClock(now),
        log: captured.log,
        mailer: createResendMailer({
          apiKey: 're_test_key',
          from: 'Booking <booking@practice.test>',
          baseUrl: tb.capture.url,
        }),
        publicUrl: 'http://portal.test',
        codes: tb.codes,
      }),
    });
    return { worker, ...captured };
  }

  /** Nothing an operator must not read: the client's details, the free text, SQL or its values. */
  function expectNoPersonalData(lines: string[], extra: string[] = []) {
    const text = lines.join('\n');
    for (const secret of [client.email, client.lastName, client.phone ?? client.email, ...extra])
      expect(text, `log lines contain "${secret}"`).to.not.include(secret);
    expect(text).to.not.match(/\b(SELECT|UPDATE|INSERT)\b/);
    expect(text).to.not.match(/"(sql|parameters|detail|where)"/);
  }

  for (const [what, reason] of [
    ['a NUL', 'Custody hearing x\u0000y'],
    ['a lone surrogate', 'Custody hearing \ud800'],
  ] as const) {
    it(`a client's cancel reason with ${what} ends on its first attempt as a recorded failure; the practice can still cancel`, async () => {
      const appointment = await anAppointment(tb.db, {
        practice,
        clinician,
        client,
        service,
        startsAt: STARTS,
      });
      const { worker, lines, parsed } = await workerWithLog(at(-48 * HOUR));
      await worker.runUntil(async () => {
        // Straight to the workflow, past the API's schema: the activity must not retry this forever.
        const outcome = await cancelAndWait(tb.env.client, tb.taskQueue, {
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: clinician.id,
          requestedAt: at(-48 * HOUR).toISOString(),
          by: 'client',
          reason,
          notifyClient: true,
          actorId: client.id,
        });
        expect(outcome).to.deep.include({ ok: false, code: 'DATA_REJECTED' });
        // What the API's cancel routes answer with this outcome (answerCancel): 422, nothing changed.
        const problem = problemFromBookingError(
          new BookingError('DATA_REJECTED', outcome!.ok ? '' : outcome!.message),
        );
        expect(problem).to.include({ status: 422, code: 'DATA_REJECTED' });
        expect(problem.detail).to.match(/Nothing changed/);
        const handle = tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id));
        expect(await handle.result()).to.deep.include({ ok: false, code: 'DATA_REJECTED' });
        const status = await handle.query(getCancellationStatusQuery);
        expect(status.status).to.equal('failed');
        expect(status.failingStep).to.deep.include({
          step: 'cancelAppointment',
          attempts: 1,
          permanent: true,
        });
        expect(status.failingStep!.lastError.type).to.equal('DATA_REJECTED');
        expect(status.failingStep!.lastError.code).to.match(/^22/);
        expect(status.failingStep!.lastError.message).to.not.include('Custody');
        const attrs = (await handle.describe()).typedSearchAttributes;
        expect(attrs.get(bookingStatusKey)).to.equal('failed');
        expect(attrs.get(attentionKey)).to.equal('failed:cancelAppointment');

        expect((await tb.db.Appointment.findByPk(appointment.id))!.status, 'nothing changed').to.equal(
          'scheduled',
        );
        expect(await tb.db.AuditEntry.count({ where: { entityId: appointment.id } })).to.equal(0);
        expect(tb.capture.deliveries(), 'nobody was told of a cancelation').to.have.length(0);

        const byPractice = await cancelAndWait(tb.env.client, tb.taskQueue, {
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: clinician.id,
          requestedAt: at(-47 * HOUR).toISOString(),
          by: 'staff',
          status: 'canceled',
          reason: 'Client called',
          notifyClient: true,
          actorId: clinician.id,
        });
        expect(byPractice).to.include({ ok: true, status: 'canceled', changed: true });
        await handle.result();
      });
      expect((await tb.db.Appointment.findByPk(appointment.id))!.status).to.equal('canceled');

      const failed = parsed().filter((l) => l.activity === 'cancelAppointment' && l.level === 50);
      expect(failed, lines.join('\n')).to.have.length(1);
      expect(failed[0].msg).to.equal('Activity failed');
      const err = failed[0].err as { type: string; message: string; code: string };
      expect(err.type).to.equal('SequelizeDatabaseError');
      // NUL: text refuses it (22021); a lone surrogate: the JSON of the audit entry is refused (22P02/22P05).
      expect(err.code).to.match(/^22(021|P02|P05)$/);
      expect(err.message).to.match(/byte sequence|Unicode|json/i);
      expect(failed[0]).to.include({
        attempt: 1,
        retrying: false,
        workflowId: cancellationWorkflowId(appointment.id),
      });
      expectNoPersonalData(lines, ['Custody']);
    });
  }

  it('an email step that keeps failing shows in getStatus and BookingAttention until it succeeds, each attempt logged', async () => {
    const appointment = await anAppointment(tb.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: STARTS,
    });
    const { worker, lines, parsed } = await workerWithLog(at(-48 * HOUR));
    // The provider answers 500 to everything for a while; the clinician cancels (so only the client is emailed).
    tb.capture.failNext(1_000, 500);
    await worker.runUntil(async () => {
      const handle = await startCancellation(tb.env.client, tb.taskQueue, {
        appointmentId: appointment.id,
        practiceId: practice.id,
        clinicianId: clinician.id,
        requestedAt: at(-48 * HOUR).toISOString(),
        by: 'staff',
        status: 'canceled',
        notifyClient: true,
        actorId: clinician.id,
      });
      await tb.env.sleep('20 minutes');
      const status = await handle.query(getCancellationStatusQuery);
      expect(status.status).to.equal('canceled');
      expect(status.failingStep).to.deep.include({
        step: 'sendCancellationToClient',
        attempts: ATTENTION_AFTER_ATTEMPTS,
        permanent: false,
      });
      expect(status.failingStep!.lastError).to.deep.equal({
        type: 'EmailTemporaryError',
        message: 'Resend 500 internal_server_error: An unexpected error occurred.',
        code: 'internal_server_error',
      });
      expect((await handle.describe()).typedSearchAttributes.get(attentionKey)).to.equal(
        'failing:sendCancellationToClient',
      );

      tb.capture.reset();
      expect(await handle.result()).to.include({ ok: true, status: 'canceled' });
      expect((await handle.query(getCancellationStatusQuery)).failingStep).to.equal(null);
      expect((await handle.describe()).typedSearchAttributes.get(attentionKey), 'cleared').to.equal(
        undefined,
      );
    });
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.deep.equal([
      `appointment-canceled/${appointment.id}`,
    ]);

    const attempts = parsed().filter((l) => l.activity === 'sendCancellationToClient');
    expect(attempts.length).to.be.at.least(ATTENTION_AFTER_ATTEMPTS);
    for (const line of attempts) {
      expect(line).to.include({ msg: 'Activity failed', level: 40, retrying: true });
      expect(line.err).to.deep.include({
        type: 'EmailTemporaryError',
        message: 'Resend 500 internal_server_error: An unexpected error occurred.',
        code: 'internal_server_error',
      });
    }
    expect(attempts.map((l) => l.attempt).slice(0, 3)).to.deep.equal([1, 2, 3]);
    expectNoPersonalData(lines);
  });

  it('a database step that keeps failing (PostgreSQL unreachable) shows in getStatus and BookingAttention, and is logged', async () => {
    const queue = uniqueTaskQueue();
    const requestId = '00000000-0000-4000-8000-0000000000a1';
    const unreachable = createDatabase('postgres://postgres:secret-pw@127.0.0.1:1/booking');
    const { worker, lines, parsed } = await workerWithLog(at(-48 * HOUR), { db: unreachable, queue });
    try {
      await worker.runUntil(async () => {
        const handle = await tb.env.client.workflow.start('appointmentRequestWorkflow', {
          taskQueue: queue,
          workflowId: requestWorkflowId(requestId),
          args: [
            {
              requestId,
              practiceId: practice.id,
              clinicianId: clinician.id,
              startsAt: STARTS.toISOString(),
              requestedAt: at(-48 * HOUR).toISOString(),
              lifetimeHours: 168,
            },
          ],
        });
        await tb.env.sleep('10 minutes');
        const status = await handle.query(getStatusQuery);
        expect(status.status, 'a database outage is waited out').to.equal('recording');
        expect(status.failingStep).to.deep.include({ step: 'confirmRequestRecorded', permanent: false });
        expect(status.failingStep!.attempts).to.be.at.least(ATTENTION_AFTER_ATTEMPTS);
        expect(status.failingStep!.lastError).to.include({ code: 'ECONNREFUSED' });
        expect(status.failingStep!.lastError.type).to.match(/^Sequelize.*Error$/);
        expect((await handle.describe()).typedSearchAttributes.get(attentionKey)).to.equal(
          'failing:confirmRequestRecorded',
        );
        await handle.terminate('test over');
      });
    } finally {
      await unreachable.sequelize.close();
    }
    const failed = parsed().filter((l) => l.activity === 'confirmRequestRecorded');
    expect(failed.length).to.be.at.least(ATTENTION_AFTER_ATTEMPTS);
    const err = failed[0].err as { type: string; message: string; code: string };
    expect(err.type).to.match(/^Sequelize.*Error$/);
    expect(err.code).to.equal('ECONNREFUSED');
    expect(err.message).to.include('ECONNREFUSED');
    expectNoPersonalData(lines, ['secret-pw']);
  });
});
