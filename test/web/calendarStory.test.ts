import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { icsEvents as events } from '../support/ics';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';
import { appointmentUid } from '../../emails/ics';
import { appointmentChangedSignal } from '../../workflows/appointment';
import { appointmentWorkflowId } from '../../temporal/appointments';

/**
 * The calendar issue's story, one week of a practice in New York. The API's clock is injected and set well after
 * any machine's date (Monday 1 June 2082, 08:00 in New York), because the reminder workflow decides by the later of
 * its worker's clock and Temporal's: an appointment in a past year would count as started, and get no reminder.
 */
const NOW = '2082-06-01T12:00:00.000Z';

describe('the calendar story in Chromium: a week of booking, moving, canceling, time off, a reminder and a No Show', function () {
  this.timeout(300_000);
  const stage = useBrowser({ artifacts: 'web-calendar-story' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn, portalSignIn } = stage;

  it('walks the clinician and two clients through the week', async () => {
    ctx.clock.set(NOW);
    const practice = await aPractice(ctx.db, {
      timeZone: 'America/New_York',
      cancellationPolicy: '24h',
      phone: '+1 555 0142',
    });
    const therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    const maya = await aClinician(ctx.db, practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
      rules: [
        {
          rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
          startDate: '2082-01-01',
          startTime: '09:00',
          endTime: '17:00',
          timeZone: 'America/New_York',
        },
      ],
    });
    await maya.update({ firstName: 'Maya', lastName: 'Chen', timeZone: 'America/New_York' });
    const casey = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Moreno' });
    const robin = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Hale' });
    // Casey is Maya's client already (last Wednesday's session): a clinician books the clients they see.
    const lastWeek = await anAppointment(ctx.db, {
      practice,
      clinician: maya,
      client: casey,
      service: therapy,
      startsAt: new Date('2082-05-27T14:00:00Z'),
    });
    await lastWeek.update({ status: 'show' });
    // Robin's Friday 5 June, 10:00-10:50 in New York, booked earlier.
    const robins = await anAppointment(ctx.db, {
      practice,
      clinician: maya,
      client: robin,
      service: therapy,
      startsAt: new Date('2082-06-05T14:00:00Z'),
    });

    // 1. Casey phones; Maya books them from her phone, on the day view of Wednesday.
    const phone = await device('phone', 'America/New_York');
    await phone.clock.setFixedTime(new Date(NOW));
    await staffSignIn(phone, maya.email);
    // The calendar feed Maya's own calendar app subscribes to.
    await phone.goto('/app/settings/availabilities');
    await phone.getByRole('button', { name: 'Create calendar link' }).click();
    await phone.getByText('Calendar feed turned on.').waitFor();
    const feedUrl = new URL(
      await phone
        .getByLabel('Subscription link (Google Calendar, Outlook on the web)', { exact: true })
        .inputValue(),
    ).pathname;
    const feedUids = async () => {
      const res = await ctx.http.get(feedUrl);
      expect(res.status).to.equal(200);
      return events(res.body as string).map((e) => e.uid);
    };

    await phone.goto('/app/calendar?week=2082-06-03');
    const wednesday = phone.getByRole('region', { name: 'Wednesday 3 Jun' });
    await wednesday.getByRole('button', { name: 'Book Wednesday 3 Jun 10:00', exact: true }).click();
    const book = phone.getByRole('dialog', { name: 'Book an appointment' });
    // Only the clients she sees; a stranger is the practice's to add, and the dialog says who can.
    await book.getByLabel('Find the client').fill('Zed');
    await book
      .getByText(
        'None of your clients matches. A new client is added by an admin or practice manager on the Clients page.',
      )
      .waitFor();
    await book.getByLabel('Find the client').fill('Casey');
    await book.getByRole('option', { name: /^Casey Moreno/ }).waitFor({ state: 'attached' });
    expect(await fitsWidth(phone), 'no sideways scrolling').to.equal(true);
    await screenshot(phone, 'phone-booking-dialog');
    await book.getByRole('button', { name: 'Book', exact: true }).click();
    await book.waitFor({ state: 'detached' });
    const caseyEntry = (day: string, time: string) =>
      phone.getByRole('button', {
        name: `Casey Moreno, Individual therapy, ${day} ${time}, Scheduled`,
      });
    await caseyEntry('Wednesday 3 Jun', '10:00–10:50').waitFor();
    await screenshot(phone, 'phone-booked');
    const caseys = (await ctx.db.Appointment.findOne({
      where: { clientId: casey.id, startsAt: new Date('2082-06-03T14:00:00Z') },
    }))!;
    expect(caseys.startsAt.toISOString()).to.equal('2082-06-03T14:00:00.000Z');
    const booked = await stage.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-booked/${caseys.id}`,
      20_000,
    );
    expect(booked.to).to.deep.equal([casey.email]);
    const [invite] = events(booked.attachments[0].utf8);
    expect(invite.uid).to.equal(appointmentUid(caseys.id));
    expect(await feedUids()).to.include(appointmentUid(caseys.id));

    // 2. Casey calls back: Maya moves the appointment to Thursday 11:00 from the appointment's actions.
    await caseyEntry('Wednesday 3 Jun', '10:00–10:50').click();
    const actions = phone.getByRole('dialog', { name: 'Casey Moreno, Individual therapy' });
    await actions.getByRole('button', { name: /^Reschedule Casey Moreno/ }).click();
    const move = phone.getByRole('dialog', { name: 'Reschedule Casey Moreno' });
    await move.getByLabel('New date').fill('2082-06-04');
    await move.getByLabel('New start time').fill('11:00');
    await screenshot(phone, 'phone-reschedule-dialog');
    await move.getByRole('button', { name: 'Move appointment' }).click();
    await phone
      .getByText(/^Moved Casey Moreno's appointment to Thursday, June 4, 2082 at 11:00 AM\./)
      .waitFor();
    await phone.getByRole('button', { name: /^Next day/ }).click();
    await caseyEntry('Thursday 4 Jun', '11:00–11:50').waitFor();
    await screenshot(phone, 'phone-rescheduled');
    const moved = await stage.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-rescheduled/${caseys.id}/1`,
      20_000,
    );
    const [updated] = events(moved.attachments[0].utf8);
    expect(updated.uid, 'the same event, updated').to.equal(appointmentUid(caseys.id));
    expect(updated.sequence).to.equal(1);
    expect(updated.startDate.toJSDate().toISOString()).to.equal('2082-06-04T15:00:00.000Z');

    // 3. Robin asks, from the portal on their phone, to move Friday's appointment to Monday 8 June 10:00.
    const robinPhone = await device('phone', 'America/New_York');
    await robinPhone.clock.setFixedTime(new Date(NOW));
    await portalSignIn(robinPhone, practice.slug, robin.email);
    const robinCard = robinPhone
      .getByRole('region', { name: 'My appointments' })
      .locator('li.card')
      .filter({ hasText: 'Fri, Jun 5, 10:00 – 10:50 AM' });
    await robinCard.getByRole('button', { name: 'Request a different time' }).click();
    await robinPhone.getByRole('button', { name: /^Next week/ }).click();
    await robinPhone.getByRole('button', { name: 'Monday, June 8, 2082 at 10:00 AM' }).click();
    await robinPhone.getByRole('button', { name: 'Send request' }).click();
    await robinCard.getByText(/^Reschedule requested: Mon, Jun 8, 10:00 – 10:50 AM/).waitFor();
    expect(await fitsWidth(robinPhone), 'no sideways scrolling').to.equal(true);
    await screenshot(robinPhone, 'portal-reschedule-requested');

    // Maya approves the move from her desk.
    const desk = await device('desktop', 'America/Los_Angeles');
    await desk.clock.setFixedTime(new Date(NOW));
    await staffSignIn(desk, maya.email);
    const request = desk.getByRole('listitem').filter({ hasText: 'Robin Hale' });
    await request
      .getByText(
        "Move Robin Hale's Individual therapy from Fri, Jun 5, 10:00 – 10:50 AM to Mon, Jun 8, 10:00 – 10:50 AM.",
      )
      .waitFor();
    await request.getByRole('button', { name: 'Actions: reschedule request from Robin Hale' }).click();
    await desk.getByRole('menuitem', { name: 'Approve' }).click();
    await request.getByText(/^Approved\. The appointment moved to Mon, Jun 8, 10:00 – 10:50 AM/).waitFor({
      timeout: 30_000,
    });
    // The bell's entry for the request is read once it is decided, without waiting for the bell's next poll.
    await desk.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor({ timeout: 5_000 });
    await screenshot(desk, 'desk-move-approved');
    expect((await robins.reload()).startsAt.toISOString()).to.equal('2082-06-08T14:00:00.000Z');
    await robinPhone.reload();
    await robinPhone
      .getByRole('region', { name: 'My appointments' })
      .locator('li.card')
      .filter({ hasText: 'Mon, Jun 8, 10:00 – 10:50 AM' })
      .waitFor();

    // 4. Maya cancels Casey's Thursday herself: Clinician Canceled, and the event leaves every calendar.
    await desk.goto('/app/calendar?week=2082-06-04');
    await desk
      .getByRole('button', {
        name: 'Casey Moreno, Individual therapy, Thursday 4 Jun 11:00–11:50, Scheduled',
      })
      .click();
    const deskActions = desk.getByRole('dialog', { name: 'Casey Moreno, Individual therapy' });
    await deskActions.getByRole('button', { name: 'Cancel the appointment of Casey Moreno' }).click();
    const cancel = desk.getByRole('dialog', { name: 'Cancel this appointment?' });
    await cancel.getByLabel('Record it as').selectOption('clinician_canceled');
    await cancel.getByLabel('Reason').fill('Maya is unwell');
    // A window narrowed to a phone's width and back (day view, then week) keeps the half-filled form.
    await desk.setViewportSize({ width: 390, height: 844 });
    await desk.getByRole('button', { name: 'Day', exact: true, pressed: true }).waitFor();
    await desk.setViewportSize({ width: 1280, height: 860 });
    await desk.getByRole('button', { name: 'Week', exact: true, pressed: true }).waitFor();
    expect(await cancel.getByLabel('Reason').inputValue()).to.equal('Maya is unwell');
    await screenshot(desk, 'desk-clinician-cancels');
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    await cancel.waitFor({ state: 'detached' });
    await deskActions.getByText('Clinician Canceled', { exact: true }).waitFor();
    expect((await caseys.reload()).status).to.equal('clinician_canceled');
    const canceled = await stage.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-canceled/${caseys.id}` && e.to.includes(casey.email),
      20_000,
    );
    const cancelIcs = canceled.attachments[0].utf8;
    expect(cancelIcs).to.match(/^METHOD:CANCEL\r$/m);
    const [gone] = events(cancelIcs);
    expect(gone.uid).to.equal(appointmentUid(caseys.id));
    expect(gone.sequence, 'after the move').to.equal(2);
    expect(await feedUids(), 'gone from the feed').to.not.include(appointmentUid(caseys.id));
    expect(await feedUids(), "Robin's is still there").to.include(appointmentUid(robins.id));
    await deskActions.getByRole('button', { name: 'Close' }).click();

    // 5. Time off on Tuesday 9 June, 13:00-17:00 in New York, from a browser in Los Angeles.
    await desk.goto('/app/settings/availabilities');
    await desk.getByRole('button', { name: 'Add time off' }).click();
    const off = desk.getByRole('dialog', { name: 'Add time off' });
    await off.getByLabel('Starts').fill('2082-06-09T13:00');
    await off.getByLabel('Ends').fill('2082-06-09T17:00');
    await off.getByLabel('Reason').fill('Training');
    await off.getByRole('button', { name: 'Add time off' }).click();
    await desk.getByRole('listitem').filter({ hasText: 'Training' }).waitFor();
    await desk.goto('/app/calendar?week=2082-06-09');
    await desk.getByRole('region', { name: 'Tuesday 9 Jun' }).locator('.cal-time-off').waitFor();
    await screenshot(desk, 'desk-week-with-time-off');
    // Robin, looking for another time, is offered Tuesday morning and nothing in the afternoon.
    await robinPhone
      .getByRole('region', { name: 'My appointments' })
      .getByRole('button', { name: 'Request a different time' })
      .click();
    await robinPhone.getByRole('button', { name: /^Next week/ }).click();
    await robinPhone.getByRole('button', { name: 'Tuesday, June 9, 2082 at 10:00 AM' }).waitFor();
    for (const hour of ['1:00 PM', '2:00 PM', '3:00 PM', '4:00 PM'])
      expect(
        await robinPhone.getByRole('button', { name: `Tuesday, June 9, 2082 at ${hour}` }).count(),
        hour,
      ).to.equal(0);
    expect(
      await robinPhone.getByRole('button', { name: 'Wednesday, June 10, 2082 at 1:00 PM' }).count(),
      'only Tuesday is off',
    ).to.equal(1);
    await screenshot(robinPhone, 'portal-slots-without-time-off');

    // 6. Saturday 6 June, 10:00 in New York: 48 hours before Robin's Monday, the reminder goes out. The clock is
    // injected, so the workflow's timer (covered on the time-skipping server) is replaced by the wake-up a timer gives.
    const reminderAt = new Date('2082-06-06T14:00:00Z');
    ctx.clock.set(reminderAt);
    await ctx.stack.temporal.workflow
      .getHandle(appointmentWorkflowId(robins.id))
      .signal(appointmentChangedSignal);
    const reminder = await stage.capture.waitFor(
      (e) => e.idempotencyKey?.startsWith(`appointment-reminder/${robins.id}/48h/`) ?? false,
      20_000,
    );
    expect(reminder.to).to.deep.equal([robin.email]);
    expect(reminder.text).to.include('Monday, June 8');
    expect(reminder.text).to.include('Maya Chen');
    // Its "Stop reminders" link works from the email itself: Robin follows it on the phone, no sign-in.
    const stop = /https?:\/\/\S+\/reminders\/opt-out\?[^\s\]>)"]+/.exec(reminder.text ?? '');
    expect(stop, 'the reminder carries its opt-out link').to.not.equal(null);
    const stopUrl = new URL(stop![0].replace(/&amp;/g, '&'));
    await robinPhone.goto(stopUrl.pathname + stopUrl.search);
    await robinPhone.getByRole('button', { name: 'Stop reminder emails' }).click();
    await robinPhone.getByText(/You will no longer get appointment reminder emails from /).waitFor();
    await screenshot(robinPhone, 'portal-reminders-stopped');
    expect((await robin.reload()).remindersOptedOutAt, 'opted out').to.not.equal(null);

    // 7. Monday after 10:00: Robin did not come. Maya marks the No Show.
    const afterStart = new Date('2082-06-08T14:20:00Z');
    ctx.clock.set(afterStart);
    await desk.clock.setFixedTime(afterStart);
    // A week later her session has ended: she signs in again.
    await staffSignIn(desk, maya.email);
    await desk.goto('/app/calendar?week=2082-06-08');
    await desk
      .getByRole('button', { name: 'Robin Hale, Individual therapy, Monday 8 Jun 10:00–10:50, Scheduled' })
      .click();
    const robinActions = desk.getByRole('dialog', { name: 'Robin Hale, Individual therapy' });
    await robinActions.getByRole('button', { name: 'Mark as no show' }).click();
    await robinActions.getByText('No Show', { exact: true }).waitFor();
    expect((await robins.reload()).status).to.equal('no_show');
    await screenshot(desk, 'desk-no-show');
    expect(await fitsWidth(desk), 'no sideways scrolling').to.equal(true);
    expect(pageErrors).to.deep.equal([]);
  });
});
