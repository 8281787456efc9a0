import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { bookingConfirmationWorkflow } from '../../workflows/bookingConfirmation';
import { bookingConfirmationWorkflowId } from '../../temporal/bookings';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';

describe('bookingConfirmationWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  async function run(appointmentId: string, practiceId: string, clinicianId: string) {
    const worker = await tb.worker(NOW);
    await worker.runUntil(
      tb.env.client.workflow.execute(bookingConfirmationWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: bookingConfirmationWorkflowId(appointmentId),
        args: [{ appointmentId, practiceId, clinicianId }],
      }),
    );
    return JSON.stringify(
      await tb.env.client.workflow.getHandle(bookingConfirmationWorkflowId(appointmentId)).fetchHistory(),
    );
  }

  it('emails the confirmation once through a provider outage, and keeps the client out of history', async () => {
    const practice = await aPractice(tb.db);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice, { firstName: 'Casey' });
    const appointment = await anAppointment(tb.db, {
      practice,
      clinician,
      client,
      service: await aService(tb.db, practice),
      startsAt: new Date('2026-06-10T14:00:00Z'),
    });
    tb.capture.failNext(3, 503);
    const history = await run(appointment.id, practice.id, clinician.id);
    const delivered = tb.capture.deliveries();
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ idempotencyKey: `appointment-booked/${appointment.id}` });
    expect(delivered[0].attachments.map((a) => a.filename)).to.deep.equal(['invite.ics']);
    for (const secret of [client.email, client.lastName, 'Casey'])
      expect(history, 'workflow history').to.not.include(secret);
  });

  it('waits for a booking still committing: the row that appears after the first attempts is confirmed', async () => {
    const practice = await aPractice(tb.db);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice);
    const service = await aService(tb.db, practice);
    const appointmentId = randomUUID();
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      const handle = await tb.env.client.workflow.start(bookingConfirmationWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: bookingConfirmationWorkflowId(appointmentId),
        args: [{ appointmentId, practiceId: practice.id, clinicianId: clinician.id }],
      });
      // Until the send has been tried without the row, the booking's transaction has not "committed".
      for (let i = 0; i < 200; i++) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        if ((pending[0]?.attempt ?? 0) >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(tb.capture.deliveries()).to.have.length(0);
      const startsAt = new Date('2026-06-10T14:00:00Z');
      const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
      const hold = await tb.db.TimeHold.create({
        clinicianId: clinician.id,
        during: tb.db.TimeHold.range(startsAt, endsAt),
        kind: 'appointment',
      });
      await tb.db.Appointment.create({
        id: appointmentId,
        practiceId: practice.id,
        clinicianId: clinician.id,
        serviceId: service.id,
        clientId: client.id,
        requestId: null,
        startsAt,
        endsAt,
        cancellationPolicy: '24h',
        holdId: hold.id,
      });
      await handle.result();
    });
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.deep.equal([
      `appointment-booked/${appointmentId}`,
    ]);
  });

  it('sends nothing when the booking never committed (its transaction rolled back after the start)', async () => {
    const practice = await aPractice(tb.db);
    const clinician = await aClinician(tb.db, practice);
    await run(randomUUID(), practice.id, clinician.id);
    expect(tb.capture.deliveries()).to.have.length(0);
  });
});
