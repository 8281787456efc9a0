import { expect } from 'chai';
import { submitRescheduleRequest } from '../../booking/rescheduleRequest';
import { requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z'; // a Monday
const SLOT = new Date('2026-06-24T14:00:00Z'); // Wednesday 24 June, 10:00 in New York
const ASKED = new Date('2026-06-25T15:00:00Z'); // Thursday 25 June, 11:00 in New York

describe('a reschedule request nobody answers (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  it('expires after the request lifetime: the appointment keeps its time, the asked time is freed, the client is told the appointment stays', async () => {
    const practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
    const clinician = await aClinician(tb.db, practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
    });
    const client = await aClient(tb.db, practice);
    const appointment = await anAppointment(tb.db, {
      practice,
      clinician,
      client,
      service: await aService(tb.db, practice, { durationMinutes: 50 }),
      startsAt: SLOT,
    });
    const worker = await tb.worker(NOW);
    let requestId = '';
    await worker.runUntil(async () => {
      const request = await submitRescheduleRequest(
        tb.db,
        { practice, clientId: client.id, appointmentId: appointment.id, startsAt: ASKED, now: new Date(NOW) },
        (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
      );
      requestId = request.id;
      const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
      while ((await handle.query(getStatusQuery)).status !== 'pending') await tb.env.sleep('1 second');
      await tb.env.sleep('169 hours');
      expect(await handle.result()).to.include({ status: 'expired' });
    });
    expect(await tb.db.AppointmentRequest.findByPk(requestId)).to.include({
      status: 'expired',
      holdId: null,
    });
    await appointment.reload();
    expect(appointment).to.include({ status: 'scheduled', inviteSequence: 0 });
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    const holds = await tb.db.TimeHold.findAll({ where: { clinicianId: clinician.id } });
    expect(holds.map((h) => [h.id, h.kind])).to.deep.equal([[appointment.holdId, 'appointment']]);
    const email = tb.capture.emails().find((e) => e.idempotencyKey === `request-expired/${requestId}`);
    expect(email?.subject).to.equal(`Your request to reschedule expired – ${practice.name}`);
    expect(email?.text).to.include(
      'Your appointment is not moved: it stays at Wednesday, June 24, 2026 at 10:00 AM EDT (50 minutes).',
    );
  });
});
