import { expect } from 'chai';
import { cancelAndWait, cancellationWorkflowId, startCancellation } from '../../temporal/cancellations';
import {
  cancellationWorkflow,
  getCancellationStatusQuery,
  type CancellationWorkflowInput,
} from '../../workflows/cancellation';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../../temporal/searchAttributes';
import {
  type Appointment,
  type CancellationPolicy,
  type Client,
  type Practice,
  type Service,
  type StaffUser,
} from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aPractice, aClinician, aService, aClient, aStaffUser, anAppointment } from '../fixtures';

const HOUR = 3_600_000;
const STARTS = new Date('2026-06-10T14:00:00Z'); // Wednesday 10:00 in New York
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('cancellationWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;

  beforeEach(async () => {
    practice = await aPractice(tb.db, { name: 'Riverside Therapy', cancellationPolicy: '24h' });
    service = await aService(tb.db, practice, { name: 'Individual therapy' });
    clinician = await aClinician(tb.db, practice);
    client = await aClient(tb.db, practice, { firstName: 'Casey', timeZone: 'America/Chicago' });
  });

  const booked = (policy: CancellationPolicy, startsAt = STARTS) =>
    anAppointment(tb.db, { practice, clinician, client, service, startsAt, cancellationPolicy: policy });

  const byClient = (appointment: Appointment, requestedAt: Date): CancellationWorkflowInput => ({
    appointmentId: appointment.id,
    practiceId: practice.id,
    clinicianId: clinician.id,
    requestedAt: requestedAt.toISOString(),
    by: 'client',
    notifyClient: true,
    actorId: client.id,
  });

  const delivered = (key: string) => tb.capture.deliveries().filter((e) => e.idempotencyKey === key);

  for (const [policy, hours] of [
    ['24h', 24],
    ['48h', 48],
    ['72h', 72],
  ] as const) {
    it(`${policy}: asked 1 s before, exactly at, and 1 s after the cutoff gives canceled, canceled, late_canceled`, async () => {
      const cases = [
        { offset: -1000, expected: 'canceled' },
        { offset: 0, expected: 'canceled' },
        { offset: 1000, expected: 'late_canceled' },
      ];
      const appointments = await Promise.all(cases.map((_, i) => booked(policy, at(STARTS, i * 2 * HOUR))));
      // The worker processes every one of them after its cutoff.
      const worker = await tb.worker(at(STARTS, -HOUR));
      await worker.runUntil(async () => {
        for (const [i, { offset, expected }] of cases.entries()) {
          const appointment = appointments[i];
          const requestedAt = at(appointment.startsAt, -hours * HOUR + offset);
          const handle = await startCancellation(
            tb.env.client,
            tb.taskQueue,
            byClient(appointment, requestedAt),
          );
          expect(await handle.result(), `offset ${offset}`).to.include({ ok: true, status: expected });
        }
      });
      for (const [i, { expected }] of cases.entries()) {
        expect(await tb.db.Appointment.findByPk(appointments[i].id)).to.include({
          status: expected,
          holdId: null,
        });
      }
      expect(await tb.db.TimeHold.count()).to.equal(0);
    });
  }

  it('the worker is down for two hours after the client asked: the moment asked still decides', async () => {
    const appointment = await booked('24h');
    // Asked one hour before the 24h cutoff; the worker only gets to it an hour after the cutoff.
    const requestedAt = at(STARTS, -25 * HOUR);
    const workerNow = at(requestedAt, 2 * HOUR);
    // The test server stops its clock while a workflow task waits for a worker, so the outage is played as the
    // workflow's first task becoming due only after two hours of skipped time, with no worker running meanwhile.
    const handle = await tb.env.client.workflow.start(cancellationWorkflow, {
      taskQueue: tb.taskQueue,
      workflowId: cancellationWorkflowId(appointment.id),
      args: [byClient(appointment, requestedAt)],
      startDelay: '2 hours',
    });
    const startedAt = await tb.env.currentTimeMs();
    await tb.env.sleep('2 hours');
    expect((await tb.env.currentTimeMs()) - startedAt).to.be.at.least(2 * HOUR);
    expect((await tb.db.Appointment.findByPk(appointment.id))!.status, 'nothing ran yet').to.equal(
      'scheduled',
    );

    const worker = await tb.worker(workerNow);
    const result = await worker.runUntil(handle.result());
    expect(result).to.include({ ok: true, status: 'canceled', changed: true });
    await appointment.reload();
    expect(appointment).to.include({ status: 'canceled', canceledBy: 'client', holdId: null });
    expect(appointment.cancelRequestedAt!.toISOString()).to.equal(requestedAt.toISOString());
    expect(appointment.canceledAt!.toISOString()).to.equal(workerNow.toISOString());

    const [toClient] = delivered(`appointment-canceled/${appointment.id}`);
    expect(toClient.to).to.deep.equal([client.email]);
    expect(toClient.subject).to.match(/^Canceled: your appointment on/);
    expect(toClient.text).to.include('Cancelation asked for');
    // 25 hours before Wednesday 14:00 UTC, shown in the client's Chicago zone.
    expect(toClient.text).to.match(/Tuesday, June 9.*8:00\s?AM/);
    const [toClinician] = delivered(`appointment-canceled-clinician/${appointment.id}`);
    expect(toClinician.to).to.deep.equal([clinician.email]);
    expect(toClinician.subject).to.match(/^Canceled: appointment on/);
    expect(toClinician.subject).to.not.include(client.lastName);
    expect(toClinician.text).to.include(`${client.firstName} ${client.lastName}`);
    const bell = await tb.db.Notification.findAll({ where: { userId: clinician.id } });
    expect(bell.map((n) => ({ kind: n.kind, appointmentId: n.appointmentId }))).to.deep.equal([
      { kind: 'appointment_canceled', appointmentId: appointment.id },
    ]);

    const description = await handle.describe();
    expect(description.workflowId).to.equal(`appointment-cancel-${appointment.id}`);
    expect(description.typedSearchAttributes.get(practiceIdKey)).to.equal(practice.id);
    expect(description.typedSearchAttributes.get(clinicianIdKey)).to.equal(clinician.id);
    expect(description.typedSearchAttributes.get(bookingStatusKey)).to.equal('canceled');
  });

  it('a late cancelation says so to both, and the bell item is a late cancelation', async () => {
    const appointment = await booked('48h');
    const worker = await tb.worker(at(STARTS, -10 * HOUR));
    await worker.runUntil(async () => {
      const outcome = await cancelAndWait(
        tb.env.client,
        tb.taskQueue,
        byClient(appointment, at(STARTS, -10 * HOUR)),
      );
      expect(outcome).to.include({ ok: true, status: 'late_canceled' });
      await tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id)).result();
    });
    const [toClient] = delivered(`appointment-canceled/${appointment.id}`);
    expect(toClient.subject).to.match(/^Late canceled:/);
    expect(toClient.text).to.match(/late cancelation/i);
    const [toClinician] = delivered(`appointment-canceled-clinician/${appointment.id}`);
    expect(toClinician.subject).to.match(/^Late canceled:/);
    expect((await tb.db.Notification.findOne({ where: { appointmentId: appointment.id } }))!.kind).to.equal(
      'appointment_late_canceled',
    );
  });

  it('cancelAndWait answers with the outcome; a second cancel answers with the first result and sends nothing more', async () => {
    const appointment = await booked('24h');
    const worker = await tb.worker(at(STARTS, -30 * HOUR));
    await worker.runUntil(async () => {
      const first = await cancelAndWait(
        tb.env.client,
        tb.taskQueue,
        byClient(appointment, at(STARTS, -30 * HOUR)),
      );
      expect(first).to.include({ ok: true, status: 'canceled', changed: true });
      await tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id)).result();
      const again = await cancelAndWait(
        tb.env.client,
        tb.taskQueue,
        byClient(appointment, at(STARTS, -HOUR)),
      );
      expect(again).to.include({ ok: true, status: 'canceled', changed: false });
      expect(again && again.ok && again.requestedAt).to.equal(at(STARTS, -30 * HOUR).toISOString());
      await tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id)).result();
    });
    expect(tb.capture.deliveries()).to.have.length(2);
    expect(await tb.db.Notification.count()).to.equal(1);
  });

  it('the practice cancels without telling the client: the clinician is told, the client gets nothing', async () => {
    const appointment = await booked('phone_call');
    const manager = await aStaffUser(tb.db, practice, { role: 'practice_manager' });
    const worker = await tb.worker(at(STARTS, -3 * HOUR));
    const handle = await startCancellation(tb.env.client, tb.taskQueue, {
      appointmentId: appointment.id,
      practiceId: practice.id,
      clinicianId: clinician.id,
      requestedAt: at(STARTS, -3 * HOUR).toISOString(),
      by: 'staff',
      status: 'late_canceled',
      reason: 'No-show policy',
      notifyClient: false,
      actorId: manager.id,
    });
    expect(await worker.runUntil(handle.result())).to.include({ ok: true, status: 'late_canceled' });
    expect(delivered(`appointment-canceled/${appointment.id}`)).to.have.length(0);
    const [toClinician] = delivered(`appointment-canceled-clinician/${appointment.id}`);
    expect(toClinician.text).to.include('The practice canceled');
  });

  it('a refused cancelation (phone_call, from the portal) changes nothing, notifies nobody, and does not block the practice', async () => {
    const appointment = await booked('phone_call');
    const worker = await tb.worker(at(STARTS, -100 * HOUR));
    await worker.runUntil(async () => {
      const refused = await startCancellation(
        tb.env.client,
        tb.taskQueue,
        byClient(appointment, at(STARTS, -100 * HOUR)),
      );
      expect(await refused.result()).to.include({ ok: false, code: 'CANCEL_BY_PHONE_ONLY' });
      expect((await refused.describe()).typedSearchAttributes.get(bookingStatusKey)).to.equal('refused');
      expect((await tb.db.Appointment.findByPk(appointment.id))!.status).to.equal('scheduled');
      expect(tb.capture.deliveries()).to.have.length(0);
      const byPractice = await cancelAndWait(tb.env.client, tb.taskQueue, {
        ...byClient(appointment, at(STARTS, -99 * HOUR)),
        by: 'staff',
        status: 'canceled',
        actorId: clinician.id,
      });
      expect(byPractice).to.include({ ok: true, status: 'canceled' });
      await tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id)).result();
    });
    // The clinician canceled their own appointment: only the client is told.
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.deep.equal([
      `appointment-canceled/${appointment.id}`,
    ]);
  });

  it('an email the provider rejects is recorded for the operator; the cancelation stands', async () => {
    const appointment = await booked('24h');
    tb.capture.rejectNext(1);
    const worker = await tb.worker(at(STARTS, -48 * HOUR));
    const handle = await startCancellation(
      tb.env.client,
      tb.taskQueue,
      byClient(appointment, at(STARTS, -48 * HOUR)),
    );
    await worker.runUntil(async () => {
      expect(await handle.result()).to.include({ ok: true, status: 'canceled' });
      const status = await handle.query(getCancellationStatusQuery);
      expect(status.status).to.equal('canceled');
      expect(status.emailFailures).to.have.length(1);
      expect(status.emailFailures[0]).to.match(/refused by the provider/);
    });
    expect((await tb.db.Appointment.findByPk(appointment.id))!.status).to.equal('canceled');
  });
});
