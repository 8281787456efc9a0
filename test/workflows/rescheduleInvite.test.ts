import { expect } from 'chai';
import { rescheduleInviteWorkflow } from '../../workflows/rescheduleInvite';
import { rescheduleInviteWorkflowId } from '../../temporal/reschedules';
import { rescheduleAppointment, type RescheduleInviteInput } from '../../booking/reschedule';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');
const NEW_TIME = new Date('2026-06-11T15:00:00Z');

describe('rescheduleInviteWorkflow (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  async function anAppointmentMoved() {
    const practice = await aPractice(tb.db);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice, { lastName: 'Okafor-Lindqvist' });
    const appointment = await anAppointment(tb.db, {
      practice,
      clinician,
      client,
      service: await aService(tb.db, practice),
      startsAt: SLOT,
    });
    let input: RescheduleInviteInput | undefined;
    await rescheduleAppointment(
      tb.db,
      clinician,
      { appointmentId: appointment.id, startsAt: NEW_TIME, now: new Date(NOW) },
      async (w) => {
        input = w;
      },
    );
    return { appointment, client, input: input! };
  }
  async function run(input: RescheduleInviteInput) {
    const worker = await tb.worker(NOW);
    return worker.runUntil(
      tb.env.client.workflow.execute(rescheduleInviteWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId: rescheduleInviteWorkflowId(input),
        args: [input],
      }),
    );
  }

  it('sends the invite once through a provider outage, with ids only in history', async () => {
    const { appointment, client, input } = await anAppointmentMoved();
    expect(input).to.deep.equal({
      appointmentId: appointment.id,
      practiceId: appointment.practiceId,
      sequence: 1,
      rescheduledAt: new Date(NOW).toISOString(),
    });
    tb.capture.failNext(3, 503);
    expect(await run(input)).to.equal('sent');
    const delivered = tb.capture.deliveries();
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ idempotencyKey: `appointment-rescheduled/${appointment.id}/1` });
    const history = JSON.stringify(
      await tb.env.client.workflow.getHandle(rescheduleInviteWorkflowId(input)).fetchHistory(),
    );
    for (const secret of [client.email, client.lastName]) expect(history).to.not.include(secret);
  });

  it('sends nothing once a later move or a cancelation has its own email', async () => {
    const later = await anAppointmentMoved();
    await tb.db.Appointment.update({ inviteSequence: 2 }, { where: { id: later.appointment.id } });
    expect(await run(later.input)).to.equal('skipped');
    const canceled = await anAppointmentMoved();
    const hold = (await canceled.appointment.reload()).holdId!;
    await canceled.appointment.update({
      status: 'clinician_canceled',
      holdId: null,
      canceledAt: new Date(NOW),
      cancelRequestedAt: new Date(NOW),
      canceledBy: 'staff',
    });
    await tb.db.TimeHold.destroy({ where: { id: hold } });
    expect(await run(canceled.input)).to.equal('skipped');
    expect(tb.capture.deliveries()).to.have.length(0);
  });

  it('gives up without sending when the move never committed', async () => {
    const { appointment, input } = await anAppointmentMoved();
    // As if the workflow had started inside a transaction that rolled back: the row still has the old sequence.
    expect(await run({ ...input, sequence: 2 })).to.equal('not-recorded');
    expect(tb.capture.deliveries()).to.have.length(0);
    expect((await appointment.reload()).inviteSequence).to.equal(1);
  });
});
