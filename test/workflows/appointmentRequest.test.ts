import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import { submitRequest, type Requester } from '../../booking/submitRequest';
import { issueEmailVerification } from '../../booking/emailVerification';
import { requestWorkflowId, startRequestWorkflow, decideRequest } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../../temporal/searchAttributes';
import { type Practice, type Service, type StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { sharedWorkflowBundle, uniqueTaskQueue } from '../support/temporal';
import { createActivities } from '../../activities';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createOutboxMailer } from '../../emails/mailer';
import { createDatabase } from '../../models/db';
import { aPractice, aClinician, aService, aClient } from '../fixtures';
import { testDataConverter } from '../support/codecKeys';
import { keepPendingText } from '../../booking/pendingTexts';

const NOW = '2026-06-01T12:00:00Z'; // a Monday
const SLOT = new Date('2026-06-10T14:00:00Z'); // Wednesday 10:00 in New York, inside 09:00-17:00

describe('appointmentRequestWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let worker: Worker;
  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;

  beforeEach(async () => {
    practice = await aPractice(tb.db);
    consultation = await aService(tb.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    clinician = await aClinician(tb.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
      },
    });
    worker = await tb.worker(NOW);
  });

  const newClient: Requester = {
    newClient: { firstName: 'Robin', lastName: 'Reyes', email: 'robin@example.test', phone: '+1 555 0123' },
    emailVerificationCode: null,
  };

  /** A new client's address verified as POST /portal/:slug/email-verifications does, with the code it emails. */
  async function verified(requester: Requester): Promise<Requester> {
    if (!('newClient' in requester)) return requester;
    const id = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email: requester.newClient.email,
      now: new Date(NOW),
    });
    return { ...requester, emailVerificationCode: tb.codes.codeFor('email-verification', id) };
  }

  async function submit(requester: Requester = newClient, startsAt = SLOT, taskQueue = tb.taskQueue) {
    requester = await verified(requester);
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt,
        requester,
        clientTimeZone: 'America/Chicago',
        now: new Date(NOW),
        codes: tb.codes,
      },
      (input) => startRequestWorkflow(tb.env.client, taskQueue, input),
    );
    return { request, handle: tb.env.client.workflow.getHandle(requestWorkflowId(request.id)) };
  }

  /** Waits until the workflow reports pending (notifications sent) without real sleeping. */
  async function pending(handle: ReturnType<typeof tb.env.client.workflow.getHandle>) {
    for (;;) {
      const { status } = await handle.query(getStatusQuery);
      if (status === 'pending') return;
      await tb.env.sleep('1 second');
    }
  }

  const keys = () => tb.capture.deliveries().map((e) => e.idempotencyKey);

  it('approve: creates the new client and the appointment on the held slot, emails a confirmation with an .ics', async () => {
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      await pending(handle);
      const result = await decideRequest(tb.env.client, request.id, {
        kind: 'approve',
        actorId: clinician.id,
      });
      expect(result).to.include({ ok: true, status: 'approved' });
      expect(await handle.result()).to.include({ status: 'approved' });
    });
    const [row] = await tb.db.AppointmentRequest.findAll();
    const appointment = await tb.db.Appointment.findByPk(row.appointmentId!);
    const client = await tb.db.Client.findOne({ where: { email: 'robin@example.test' } });
    expect(client).to.not.equal(null);
    expect(appointment).to.include({ clientId: client!.id, status: 'scheduled', cancellationPolicy: '24h' });
    expect(appointment!.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect((await tb.db.TimeHold.findByPk(appointment!.holdId!))!.kind).to.equal('appointment');
    expect(keys()).to.have.members([
      `request-new/${row.id}`,
      `request-received/${row.id}`,
      `request-approved/${row.id}`,
    ]);
    const confirmation = tb.capture
      .deliveries()
      .find((e) => e.idempotencyKey === `request-approved/${row.id}`)!;
    expect(confirmation.to).to.deep.equal(['robin@example.test']);
    const ics = confirmation.attachments.find((a) => a.filename.endsWith('.ics'))!.utf8;
    expect(ics).to.include('DTSTART:20260610T140000Z');
    expect(ics).to.include('DTEND:20260610T143000Z');
    expect(await tb.db.Notification.count({ where: { userId: clinician.id, requestId: row.id } })).to.equal(
      1,
    );
  });

  it('approve for an existing client books them without touching their profile; a "new client" with their email is flagged', async () => {
    const existing = await aClient(tb.db, practice, {
      email: 'Robin@Example.test',
      firstName: 'Robin',
      lastName: 'Original',
      phone: '+1 555 9999',
    });
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      await pending(handle);
      expect((await tb.db.AppointmentRequest.findByPk(request.id))!.possibleDuplicateClientId).to.equal(
        existing.id,
      );
      await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id });
      await handle.result();
    });
    expect(await tb.db.Client.count()).to.equal(1);
    await existing.reload();
    expect(existing).to.include({ lastName: 'Original', phone: '+1 555 9999' });
    expect((await tb.db.Appointment.findOne())!.clientId).to.equal(existing.id);
    const clinicianEmail = tb.capture.deliveries().find((e) => e.idempotencyKey?.startsWith('request-new/'))!;
    expect(clinicianEmail.html).to.match(/existing client/i);
  });

  for (const note of ['We are not taking new clients this month. Try Dr. Lee.', null]) {
    it(`decline ${note ? 'with' : 'without'} a note: releases the slot and emails the client${note ? ' the note' : ''}`, async () => {
      let requestId = '';
      await worker.runUntil(async () => {
        const { request, handle } = await submit();
        requestId = request.id;
        await pending(handle);
        // As the API sends it: the note kept in the database, its id in the update.
        const result = await decideRequest(tb.env.client, request.id, {
          kind: 'decline',
          actorId: clinician.id,
          noteId: await keepPendingText(tb.db, practice.id, note, new Date(NOW)),
        });
        expect(result).to.include({ ok: true, status: 'declined' });
        await handle.result();
      });
      expect(await tb.db.AppointmentRequest.findByPk(requestId)).to.include({
        status: 'declined',
        holdId: null,
        declineNote: note,
      });
      expect(await tb.db.TimeHold.count()).to.equal(0);
      const email = tb.capture
        .deliveries()
        .find((e) => e.idempotencyKey === `request-declined/${requestId}`)!;
      if (note) expect(email.text).to.include(note);
      else expect(email.text).to.not.include('Note from');
    });
  }

  it('withdraw: the client withdraws, the clinician is told by email and bell, the slot is free again', async () => {
    const client = await aClient(tb.db, practice);
    let requestId = '';
    await worker.runUntil(async () => {
      const { request, handle } = await submit({ clientId: client.id });
      requestId = request.id;
      await pending(handle);
      expect(
        await decideRequest(tb.env.client, request.id, { kind: 'withdraw', clientId: client.id }),
      ).to.include({ ok: true, status: 'withdrawn' });
      await handle.result();
      // Freed at once: the same slot can be requested again.
      await submit({ clientId: client.id });
    });
    expect(await tb.db.AppointmentRequest.findByPk(requestId)).to.include({ status: 'withdrawn' });
    expect(keys()).to.include(`request-withdrawn/${requestId}`);
    expect(await tb.db.Notification.count({ where: { kind: 'request_withdrawn', requestId } })).to.equal(1);
  });

  it('expires after the practice request lifetime (7 days), releases the hold, emails the client; a later approval is refused', async () => {
    let requestId = '';
    const far = new Date('2026-06-24T14:00:00Z');
    await worker.runUntil(async () => {
      const { request, handle } = await submit(newClient, far);
      requestId = request.id;
      await pending(handle);
      await tb.env.sleep('167 hours');
      expect((await handle.query(getStatusQuery)).status).to.equal('pending');
      await tb.env.sleep('2 hours');
      expect(await handle.result()).to.include({ status: 'expired' });
      const late = await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id });
      expect(late).to.include({ ok: false, code: 'REQUEST_NOT_PENDING' });
    });
    expect(await tb.db.AppointmentRequest.findByPk(requestId)).to.include({
      status: 'expired',
      holdId: null,
    });
    expect(await tb.db.Appointment.count()).to.equal(0);
    expect(keys()).to.include(`request-expired/${requestId}`);
  });

  it('expires at the slot start when that comes before the lifetime', async () => {
    const soon = new Date('2026-06-03T14:00:00Z'); // 2 days and 2 hours after the request
    await worker.runUntil(async () => {
      const { handle } = await submit(newClient, soon);
      await pending(handle);
      await tb.env.sleep('49 hours');
      expect((await handle.query(getStatusQuery)).status).to.equal('pending');
      await tb.env.sleep('2 hours');
      expect(await handle.result()).to.include({ status: 'expired' });
    });
  });

  it('a decision on a decided request is refused with REQUEST_NOT_PENDING and changes nothing', async () => {
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      await pending(handle);
      await decideRequest(tb.env.client, request.id, { kind: 'decline', actorId: clinician.id });
      const again = await decideRequest(tb.env.client, request.id, {
        kind: 'approve',
        actorId: clinician.id,
      });
      expect(again).to.include({ ok: false, code: 'REQUEST_NOT_PENDING' });
      await handle.result();
    });
    expect(await tb.db.Appointment.count()).to.equal(0);
    expect((await tb.db.AppointmentRequest.findOne())!.status).to.equal('declined');
  });

  it('an email step that fails twice then succeeds sends exactly one email', async () => {
    tb.capture.failNext(2, 500);
    let requestId = '';
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      requestId = request.id;
      await pending(handle);
      await decideRequest(tb.env.client, request.id, { kind: 'decline', actorId: clinician.id });
      await handle.result();
    });
    expect(tb.capture.attempts()).to.be.at.least(5);
    for (const key of [
      `request-new/${requestId}`,
      `request-received/${requestId}`,
      `request-declined/${requestId}`,
    ]) {
      expect(
        tb.capture.deliveries().filter((e) => e.idempotencyKey === key),
        key,
      ).to.have.length(1);
    }
  });

  it('an email the provider rejects (422) is not retried; the request still finishes and the operator sees why', async () => {
    tb.capture.rejectNext(1);
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      await pending(handle);
      // Pending comes before the notices' step ends (since request-local-steps, one step sends both).
      let status = await handle.query(getStatusQuery);
      while (!status.emailFailures.length && !status.failingStep) {
        await tb.env.sleep('1 second');
        status = await handle.query(getStatusQuery);
      }
      expect(status.emailFailures).to.have.length(1);
      expect(status.emailFailures[0]).to.match(/refused by the provider/);
      await decideRequest(tb.env.client, request.id, { kind: 'decline', actorId: clinician.id });
      expect(await handle.result()).to.include({ status: 'declined' });
    });
  });

  it('ends as abandoned when the request it was started for was never committed', async () => {
    await worker.runUntil(async () => {
      const handle = await tb.env.client.workflow.start('appointmentRequestWorkflow', {
        taskQueue: tb.taskQueue,
        workflowId: requestWorkflowId('00000000-0000-4000-8000-000000000000'),
        args: [
          {
            requestId: '00000000-0000-4000-8000-000000000000',
            practiceId: practice.id,
            clinicianId: clinician.id,
            startsAt: SLOT.toISOString(),
            requestedAt: NOW,
            lifetimeHours: 168,
          },
        ],
      });
      expect(await handle.result()).to.deep.equal({ status: 'abandoned' });
    });
    expect(tb.capture.deliveries()).to.have.length(0);
  });

  it('waits out a database outage at its first step instead of taking the request for never committed', async () => {
    // The request is committed in the test's database; the worker's own database is unreachable (nothing listens
    // on port 1). Only a worker that reads through the store it was given keeps failing its first step: one that
    // reached any other database would find the request and move on to pending.
    const queue = uniqueTaskQueue();
    const unreachable = createDatabase('postgres://postgres:postgres@127.0.0.1:1/booking');
    const outageWorker = await Worker.create({
      connection: tb.env.nativeConnection,
      taskQueue: queue,
      workflowBundle: await sharedWorkflowBundle(),
      dataConverter: testDataConverter(),
      activities: createActivities({
        db: unreachable,
        clock: fixedClock(NOW),
        log: createLogger('silent'),
        mailer: createOutboxMailer({ dir: '/nonexistent-never-written' }),
        publicUrl: 'http://portal.test',
        codes: tb.codes,
      }),
    });
    try {
      await outageWorker.runUntil(async () => {
        const { request, handle } = await submit(newClient, SLOT, queue);
        expect(await tb.db.AppointmentRequest.count({ where: { id: request.id } })).to.equal(1);
        await tb.env.sleep('10 minutes');
        expect((await handle.query(getStatusQuery)).status).to.equal('recording');
        await handle.terminate('test over');
      });
    } finally {
      await unreachable.sequelize.close();
    }
    expect(tb.capture.deliveries()).to.have.length(0);
  });

  it('sets search attributes operators filter on: practice, clinician and status', async () => {
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      await pending(handle);
      await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id });
      await handle.result();
      const description = await handle.describe();
      const attrs = description.typedSearchAttributes;
      expect(attrs.get(practiceIdKey)).to.equal(practice.id);
      expect(attrs.get(clinicianIdKey)).to.equal(clinician.id);
      expect(attrs.get(bookingStatusKey)).to.equal('approved');
      expect(description.workflowId).to.not.match(/robin|example/i);
    });
  });
});
