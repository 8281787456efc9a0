import { expect } from 'chai';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import {
  appointmentWorkflowId,
  backfillAppointmentWorkflows,
  startAppointmentWorkflow,
} from '../../temporal/appointments';
import { futureScheduledAppointments } from '../../booking/reminders';
import { startCancellation } from '../../temporal/cancellations';
import { startRescheduleInvite } from '../../temporal/reschedules';
import { rescheduleAppointment } from '../../booking/reschedule';
import { getAppointmentStatusQuery, type appointmentWorkflow } from '../../workflows/appointment';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../../temporal/searchAttributes';
import type { Appointment, Practice, StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../fixtures';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The first Monday 09:00 (in zone) after the autumn DST change `change` finds in a year, at least a week after
 * `from`: the test server's clock starts at today's date, so the appointment is placed relative to it.
 */
function mondayAfterChange(
  from: number,
  zone: string,
  change: (year: number) => DateTime,
  hour: number,
): Date {
  for (let year = DateTime.fromMillis(from).year; ; year++) {
    const sunday = change(year).setZone(zone, { keepLocalTime: true });
    const monday = sunday.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
    if (monday.toMillis() - 3 * DAY > from) return monday.toJSDate();
  }
}
/** First Sunday of November (the US change). */
const usChange = (year: number) =>
  DateTime.fromObject({ year, month: 11, day: 1 }, { zone: 'UTC' }).plus({
    days: (7 - DateTime.fromObject({ year, month: 11, day: 1 }).weekday) % 7,
  });
/** Last Sunday of October (the EU change). */
const euChange = (year: number) => {
  const last = DateTime.fromObject({ year, month: 10, day: 31 }, { zone: 'UTC' });
  return last.minus({ days: last.weekday % 7 });
};

describe('appointmentWorkflow (time-skipping)', function () {
  this.timeout(180_000);
  const tb = useWorkflowTestbed();

  let base: number;
  let practice: Practice;
  let clinician: StaffUser;

  beforeEach(async () => {
    base = await tb.env.currentTimeMs();
    practice = await aPractice(tb.db, { timeZone: 'America/New_York' });
    clinician = await aClinician(tb.db, practice);
  });

  async function anAppointmentAt(startsAt: Date, clientZone: string | null = null): Promise<Appointment> {
    return anAppointment(tb.db, {
      practice,
      clinician,
      client: await aClient(tb.db, practice, { firstName: 'Jordan', timeZone: clientZone }),
      service: await aService(tb.db, practice, { name: 'Individual therapy', durationMinutes: 50 }),
      startsAt,
    });
  }

  const handle = (appointment: Appointment) =>
    tb.env.client.workflow.getHandle<typeof appointmentWorkflow>(appointmentWorkflowId(appointment.id));

  /** Skips the test server's clock to `at` (never back); timers and activities due meanwhile run. */
  async function skipTo(at: number) {
    const now = await tb.env.currentTimeMs();
    if (at > now) await tb.env.sleep(at - now);
  }

  /**
   * Workers down across `until`: nothing runs the reminders meanwhile. The time-skipping server cannot skip past a
   * workflow or activity task nobody takes (it waits for the task), so the workflow is started only when the
   * workers return, as a backfill after an outage would, by a worker whose clock says what a returning one's would.
   * Either way the first thing the workflow does is ask the database at a moment past the reminder's.
   */
  async function workersDown(until: number) {
    await skipTo(until);
    return tb.worker(new Date(await tb.env.currentTimeMs()));
  }

  const reminders = () =>
    tb.capture.deliveries().filter((e) => e.idempotencyKey?.startsWith('appointment-reminder/'));

  async function recorded(appointment: Appointment) {
    return tb.db.sequelize.query<{
      offset_hours: number;
      outcome: string;
      reason: string | null;
      recorded_at: Date;
    }>(
      `SELECT offset_hours, outcome, reason, recorded_at FROM appointment_reminders
        WHERE appointment_id = :id ORDER BY recorded_at`,
      { replacements: { id: appointment.id }, type: QueryTypes.SELECT },
    );
  }

  it("reminds 48 and 2 real hours before an appointment after the US DST change, in the clinician's zone", async () => {
    // Monday 09:00 EST: 48 h before is Saturday 10:00 EDT, not 09:00; a wall-clock offset would be an hour late.
    const startsAt = mondayAfterChange(base, 'America/New_York', usChange, 9);
    const appointment = await anAppointmentAt(startsAt);
    const at48 = startsAt.getTime() - 48 * HOUR;
    const at2 = startsAt.getTime() - 2 * HOUR;
    expect(DateTime.fromMillis(at48, { zone: 'America/New_York' }).toFormat('ccc HH:mm ZZZZ')).to.equal(
      'Sat 10:00 EDT',
    );
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(at48 - MINUTE);
      expect(reminders()).to.have.length(0);
      const status = await handle(appointment).query(getAppointmentStatusQuery);
      expect(status).to.include({ nextReminderAt: new Date(at48).toISOString(), offsetHours: 48 });
      await skipTo(at48 + MINUTE);
      expect(reminders()).to.have.length(1);
      await skipTo(at2 - MINUTE);
      expect(reminders()).to.have.length(1);
      await skipTo(at2 + MINUTE);
      expect(reminders()).to.have.length(2);
      expect(await handle(appointment).result()).to.equal('started');
    });
    const rows = await recorded(appointment);
    expect(rows.map((r) => [r.offset_hours, r.outcome])).to.deep.equal([
      [48, 'sent'],
      [2, 'sent'],
    ]);
    expect(Math.abs(rows[0].recorded_at.getTime() - at48)).to.be.below(MINUTE);
    expect(Math.abs(rows[1].recorded_at.getTime() - at2)).to.be.below(MINUTE);
    const [first] = reminders();
    expect(first.idempotencyKey).to.equal(
      `appointment-reminder/${appointment.id}/48h/${startsAt.toISOString()}`,
    );
    // No client zone: the practice's, named.
    expect(first.text).to.match(/Monday, November \d+, \d{4} at 9:00 AM EST/);
    expect(first.text).to.include(`${clinician.firstName} ${clinician.lastName}`);
    expect(first.text).to.include('Individual therapy');
    expect(first.text).to.include('Free cancelation until');
    expect(first.text).to.include(`http://portal.test/portal/${practice.slug}/me`);
    const client = await tb.db.Client.findByPk(appointment.clientId);
    const optOut = `http://portal.test/portal/${practice.slug}/reminders/opt-out?client=${client!.id}&token=${tb.codes.linkToken('reminder-opt-out', client!.id)}`;
    expect(first.html).to.include(optOut.replace(/&/g, '&amp;'));
    expect(first.body.headers).to.deep.include({ 'List-Unsubscribe': `<${optOut}>` });
    const description = await handle(appointment).describe();
    expect(description.typedSearchAttributes.get(practiceIdKey)).to.equal(practice.id);
    expect(description.typedSearchAttributes.get(clinicianIdKey)).to.equal(clinician.id);
    expect(description.typedSearchAttributes.get(bookingStatusKey)).to.equal('scheduled');
    const history = JSON.stringify(await handle(appointment).fetchHistory());
    for (const secret of [client!.email, client!.lastName, 'Jordan']) expect(history).to.not.include(secret);
  });

  it("reminds 48 real hours before across the EU DST change in the client's zone, and shows the client's time", async () => {
    const startsAt = mondayAfterChange(base, 'Europe/Berlin', euChange, 10);
    const appointment = await anAppointmentAt(startsAt, 'Europe/Berlin');
    const at48 = startsAt.getTime() - 48 * HOUR;
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(at48 - MINUTE);
      expect(reminders()).to.have.length(0);
      await skipTo(at48 + MINUTE);
      expect(reminders()).to.have.length(1);
    });
    const [row] = await recorded(appointment);
    expect(Math.abs(row.recorded_at.getTime() - at48)).to.be.below(MINUTE);
    expect(reminders()[0].text).to.match(/Monday, (October|November) \d+, \d{4} at 10:00 AM GMT\+1/);
    expect(reminders()[0].subject).to.match(/^Reminder: your appointment on Mon, .* 10:00 AM GMT\+1$/);
  });

  it('a reschedule moves the reminders to the new time', async () => {
    const oldStart = new Date(base + 5 * DAY);
    const newStart = new Date(base + 9 * DAY);
    const appointment = await anAppointmentAt(oldStart);
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(base + DAY);
      await rescheduleAppointment(
        tb.db,
        { id: clinician.id, practiceId: practice.id },
        { appointmentId: appointment.id, startsAt: newStart, now: new Date(base + DAY) },
        (input) => startRescheduleInvite(tb.env.client, tb.taskQueue, input),
      );
      // The updated invite's activity wakes the reminders once the move is committed.
      for (let i = 0; i < 100; i++) {
        const status = await handle(appointment).query(getAppointmentStatusQuery);
        if (status.startsAt === newStart.toISOString()) break;
        await tb.env.sleep(MINUTE);
      }
      expect((await tb.env.currentTimeMs()) - base).to.be.below(DAY + HOUR);
      await skipTo(oldStart.getTime() - 48 * HOUR + HOUR);
      expect(reminders()).to.have.length(0);
      await skipTo(newStart.getTime() - 48 * HOUR + MINUTE);
      expect(reminders().map((e) => e.idempotencyKey)).to.deep.equal([
        `appointment-reminder/${appointment.id}/48h/${newStart.toISOString()}`,
      ]);
    });
  });

  it('a cancelation stops the reminders at once', async () => {
    const startsAt = new Date(base + 5 * DAY);
    const appointment = await anAppointmentAt(startsAt);
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(base + DAY);
      const cancelAt = await tb.env.currentTimeMs();
      const cancel = await startCancellation(tb.env.client, tb.taskQueue, {
        appointmentId: appointment.id,
        practiceId: practice.id,
        clinicianId: clinician.id,
        requestedAt: new Date(cancelAt).toISOString(),
        by: 'staff',
        notifyClient: false,
        actorId: clinician.id,
      });
      await cancel.result();
      expect(await handle(appointment).result()).to.equal('ended');
      // Woken by the cancelation, not by its daily re-plan.
      const closed = (await handle(appointment).describe()).closeTime!.getTime();
      expect(closed - cancelAt).to.be.below(HOUR);
      await skipTo(startsAt.getTime() + HOUR);
    });
    expect(reminders()).to.have.length(0);
    expect(await recorded(appointment)).to.have.length(0);
  });

  it('workers down across a moment: sent once on their return while the appointment is ahead', async () => {
    const startsAt = new Date(base + 5 * DAY);
    const appointment = await anAppointmentAt(startsAt);
    // The 48 h moment passes unseen.
    const back = await workersDown(startsAt.getTime() - 30 * HOUR);
    expect(reminders()).to.have.length(0);
    await back.runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await tb.env.sleep(MINUTE);
      expect(reminders()).to.have.length(1);
      await skipTo(startsAt.getTime() - 3 * HOUR);
      expect(reminders()).to.have.length(1);
      expect(await handle(appointment).result()).to.equal('started');
    });
    const rows = await recorded(appointment);
    expect(rows.map((r) => [r.offset_hours, r.outcome])).to.deep.equal([
      [48, 'sent'],
      [2, 'sent'],
    ]);
    // Sent on return, not at the moment nobody was there for.
    expect(rows[0].recorded_at.getTime()).to.be.at.least(startsAt.getTime() - 30 * HOUR);
  });

  it('workers down past several moments: only the latest is sent; down past the start: nothing, ever', async () => {
    const startsAt = new Date(base + 5 * DAY);
    const later = new Date(base + 6 * DAY);
    const missedBoth = await anAppointmentAt(startsAt);
    const missedAll = await anAppointmentAt(later);
    const back = await workersDown(startsAt.getTime() - HOUR);
    await back.runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, missedBoth.id);
      expect(await handle(missedBoth).result()).to.equal('started');
    });
    expect((await recorded(missedBoth)).map((r) => r.offset_hours)).to.deep.equal([2]);
    const again = await workersDown(later.getTime() + HOUR);
    await again.runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, missedAll.id);
      expect(await handle(missedAll).result()).to.equal('started');
    });
    expect(await recorded(missedAll)).to.have.length(0);
    expect(reminders().map((e) => e.idempotencyKey)).to.deep.equal([
      `appointment-reminder/${missedBoth.id}/2h/${startsAt.toISOString()}`,
    ]);
  });

  it('reminders off: nothing is sent, and the moments are recorded as skipped', async () => {
    await practice.update({ remindersEnabled: false });
    const startsAt = new Date(base + 5 * DAY);
    const appointment = await anAppointmentAt(startsAt);
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      expect(await handle(appointment).result()).to.equal('started');
    });
    expect(reminders()).to.have.length(0);
    expect((await recorded(appointment)).map((r) => [r.offset_hours, r.outcome, r.reason])).to.deep.equal([
      [48, 'skipped', 'reminders-off'],
      [2, 'skipped', 'reminders-off'],
    ]);
  });

  it('changed offsets apply to the moments not yet passed', async () => {
    const startsAt = new Date(base + 6 * DAY);
    const appointment = await anAppointmentAt(startsAt);
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      await skipTo(base + DAY);
      // No signal: the workflow sleeps toward the 48 h moment and learns of the change by asking again.
      await practice.update({ reminderOffsetsHours: [72, 24] });
      expect(await handle(appointment).result()).to.equal('started');
    });
    const rows = await recorded(appointment);
    expect(rows.map((r) => r.offset_hours)).to.deep.equal([72, 24]);
    expect(Math.abs(rows[0].recorded_at.getTime() - (startsAt.getTime() - 72 * HOUR))).to.be.below(MINUTE);
    expect(Math.abs(rows[1].recorded_at.getTime() - (startsAt.getTime() - 24 * HOUR))).to.be.below(MINUTE);
    expect(reminders()).to.have.length(2);
  });

  it('skips a moment that was already past when the appointment was booked', async () => {
    const startsAt = new Date(base + 30 * HOUR);
    const appointment = await anAppointmentAt(startsAt);
    await (
      await tb.worker(new Date(base))
    ).runUntil(async () => {
      await startAppointmentWorkflow(tb.env.client, tb.taskQueue, appointment.id);
      expect(await handle(appointment).result()).to.equal('started');
    });
    expect((await recorded(appointment)).map((r) => r.offset_hours)).to.deep.equal([2]);
  });
  it('backfill twice gives one workflow per scheduled future appointment, and leaves running ones alone', async () => {
    const ahead = await anAppointmentAt(new Date(base + 3 * DAY));
    const alreadyRunning = await anAppointmentAt(new Date(base + 4 * DAY));
    const canceled = await anAppointmentAt(new Date(base + 5 * DAY));
    await canceled.update({ status: 'canceled', holdId: null });
    const past = await anAppointmentAt(new Date(base - DAY));
    await startAppointmentWorkflow(tb.env.client, tb.taskQueue, alreadyRunning.id);
    const backfill = async () =>
      backfillAppointmentWorkflows(
        tb.env.client,
        tb.taskQueue,
        (await futureScheduledAppointments(tb.db, new Date(await tb.env.currentTimeMs()))).map((a) => a.id),
      );
    expect(await backfill()).to.deep.equal({ appointments: 2, started: 1, alreadyRunning: 1 });
    const runs = async () =>
      Promise.all([ahead, alreadyRunning].map(async (a) => (await handle(a).describe()).runId));
    const first = await runs();
    expect(await backfill()).to.deep.equal({ appointments: 2, started: 0, alreadyRunning: 2 });
    expect(await runs()).to.deep.equal(first);
    for (const skipped of [canceled, past])
      expect(
        await handle(skipped)
          .describe()
          .then(
            () => 'exists',
            () => 'none',
          ),
      ).to.equal('none');
  });
});
