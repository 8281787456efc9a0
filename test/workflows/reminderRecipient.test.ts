import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startAppointmentWorkflow } from '../../temporal/appointments';
import { optOutOfReminders, setRemindersWanted } from '../../booking/reminderOptOut';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../fixtures';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("appointment reminders follow the client's opt-out (time-skipping)", function () {
  this.timeout(180_000);
  const tb = useWorkflowTestbed();

  /** Skips the test server's clock to `at` (never back); timers and activities due meanwhile run. */
  async function skipTo(at: number) {
    const now = await tb.env.currentTimeMs();
    if (at > now) await tb.env.sleep(at - now);
  }
  const reminders = () =>
    tb.capture.deliveries().filter((e) => e.idempotencyKey?.startsWith('appointment-reminder/'));

  it('an opted-out client gets no reminder; turning reminders back on in the portal gets the next one', async () => {
    // The test server's clock starts at today's date: the appointment is placed from it, on the hour, ten days on.
    const base = await tb.env.currentTimeMs();
    const startsAt = new Date(Math.ceil((base + 10 * DAY) / HOUR) * HOUR);
    const practice = await aPractice(tb.db, { timeZone: 'America/New_York' });
    const client = await aClient(tb.db, practice);
    const appointment = await anAppointment(tb.db, {
      practice,
      clinician: await aClinician(tb.db, practice),
      client,
      service: await aService(tb.db, practice),
      startsAt,
    });
    const at48 = startsAt.getTime() - 48 * HOUR;
    const at2 = startsAt.getTime() - 2 * HOUR;
    // By the link a reminder email carries, as the one-click POST does.
    expect(
      await optOutOfReminders(tb.db, tb.codes, {
        slug: practice.slug,
        clientId: client.id,
        token: tb.codes.linkToken('reminder-opt-out', client.id),
        now: new Date(base),
      }),
    ).to.equal('opted_out');

    const worker = await tb.worker(new Date(base));
    await worker.runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(at48 + MINUTE);
      expect(reminders()).to.have.length(0);
      // Back on from the portal between the two reminders.
      await setRemindersWanted(tb.db, {
        practiceId: practice.id,
        clientId: client.id,
        enabled: true,
        now: new Date(at48 + MINUTE),
      });
      await skipTo(at2 + MINUTE);
      expect(reminders().map((e) => e.idempotencyKey)).to.deep.equal([
        `appointment-reminder/${appointment.id}/2h/${startsAt.toISOString()}`,
      ]);
      expect(reminders()[0].to).to.include(client.email);
    });
    const rows = await tb.db.sequelize.query<{ offset_hours: number; outcome: string }>(
      'SELECT offset_hours, outcome FROM appointment_reminders WHERE appointment_id = :id ORDER BY recorded_at',
      { replacements: { id: appointment.id }, type: QueryTypes.SELECT },
    );
    expect(rows.map((r) => [r.offset_hours, r.outcome])).to.deep.equal([
      [48, 'skipped'],
      [2, 'sent'],
    ]);
  });
});
