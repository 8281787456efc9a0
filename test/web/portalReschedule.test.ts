import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

// The API's clock is Monday 1 June 2026, 12:00 UTC (08:00 in New York); the browsers' are set to the same moment.
const NOW = '2026-06-01T12:00:00.000Z';

describe('a client asks for a different time in Chromium (390 px), the clinician approves the move', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-portal-reschedule' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn } = stage;

  /** The client signs in to the portal on a 390 px phone with the code emailed to them. */
  const clientOnPhone = async (slug: string, email: string): Promise<Page> => {
    const phone = await device('phone', 'America/New_York');
    await phone.clock.setFixedTime(new Date(NOW));
    await stage.portalSignIn(phone, slug, email);
    return phone;
  };

  it('the portal offers the slot picker while moving is free, shows the pending move, and the new time once approved', async () => {
    const practice = await aPractice(ctx.db, {
      timeZone: 'America/New_York',
      cancellationPolicy: '24h',
      phone: '+1 555 0199',
    });
    const therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
    });
    await clinician.update({ firstName: 'Maya', lastName: 'Chen', timeZone: 'America/New_York' });
    const casey = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Moreno' });
    // Wednesday 3 June, 10:00 in New York: free to cancel (and so to move) until Tuesday 10:00.
    const moving = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: casey,
      service: therapy,
      startsAt: new Date('2026-06-03T14:00:00Z'),
    });
    // Tuesday 2 June, 7:00 in New York: its free-cancelation cutoff (Monday 7:00) has passed.
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client: casey,
      service: therapy,
      startsAt: new Date('2026-06-02T11:00:00Z'),
    });

    const phone = await clientOnPhone(practice.slug, casey.email);

    const upcoming = phone.getByRole('region', { name: 'My appointments' });
    const late = upcoming.locator('li.card').filter({ hasText: 'Tue, Jun 2, 7:00 – 7:50 AM' });
    const wednesday = upcoming.locator('li.card').filter({ hasText: 'Wed, Jun 3, 10:00 – 10:50 AM' });
    await wednesday.waitFor();
    expect(await late.getByRole('button', { name: 'Request a different time' }).count()).to.equal(0);
    expect(await late.innerText()).to.include(
      'This appointment can no longer be moved online without counting as a late cancelation; to change it, please call +1 555 0199.',
    );
    expect(await late.getByRole('link', { name: 'Call +1 555 0199' }).getAttribute('href')).to.equal(
      'tel:+15550199',
    );
    await screenshot(phone, 'appointments-phone');

    // By keyboard, as the booking flow's picker is.
    const ask = wednesday.getByRole('button', { name: 'Request a different time' });
    await ask.focus();
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { level: 1, name: 'Request a different time' }).waitFor();
    await phone.getByText('Individual therapy with Maya Chen, now').waitFor();
    // Thursday 4 June, 11:00 in New York: offered, as the portal offers it to anyone.
    const thursday11 = phone.getByRole('button', { name: 'Thursday, June 4, 2026 at 11:00 AM' });
    await thursday11.waitFor();
    expect(
      await phone.getByRole('button', { name: 'Wednesday, June 3, 2026 at 10:00 AM' }).count(),
      'its own time is not offered back',
    ).to.equal(0);
    expect(await fitsWidth(phone), 'no sideways scrolling').to.equal(true);
    await screenshot(phone, 'slot-picker-phone');
    await thursday11.click();
    await phone.getByText('Move from Wed, Jun 3, 10:00 – 10:50 AM').waitFor();
    await screenshot(phone, 'confirm-phone');
    await phone.getByRole('button', { name: 'Send request' }).click();

    await phone.getByText(/^Your request to reschedule to Thu, Jun 4, 11:00 – 11:50 AM was sent\./).waitFor();
    await wednesday
      .getByText('Reschedule requested: Thu, Jun 4, 11:00 – 11:50 AM, waiting for Maya Chen.', {
        exact: false,
      })
      .waitFor();
    expect(await wednesday.getByRole('button', { name: 'Request a different time' }).count()).to.equal(0);
    await wednesday.getByRole('button', { name: 'Withdraw reschedule request' }).waitFor();
    expect(
      await phone.getByRole('region', { name: 'Waiting for the practice' }).count(),
      'a move is not listed as a request for a new appointment',
    ).to.equal(0);
    expect(await fitsWidth(phone), 'no sideways scrolling').to.equal(true);
    await screenshot(phone, 'reschedule-requested-phone');
    expect((await moving.reload()).startsAt.toISOString(), 'not moved yet').to.equal(
      '2026-06-03T14:00:00.000Z',
    );

    // The clinician, on a desktop, sees a move and approves it.
    const desk = await device('desktop', 'America/New_York');
    await desk.clock.setFixedTime(new Date(NOW));
    await staffSignIn(desk, clinician.email);
    const card = desk.getByRole('listitem').filter({ hasText: 'Casey Moreno' });
    await card
      .getByText(
        "Move Casey Moreno's Individual therapy from Wed, Jun 3, 10:00 – 10:50 AM to Thu, Jun 4, 11:00 – 11:50 AM.",
      )
      .waitFor();
    await card.getByText('Reschedule', { exact: true }).waitFor();
    await screenshot(desk, 'requests-desktop');
    await card.getByRole('button', { name: 'Actions: reschedule request from Casey Moreno' }).click();
    await desk.getByRole('menuitem', { name: 'Approve' }).click();
    await card
      .getByText(
        'Approved. The appointment moved to Thu, Jun 4, 11:00 – 11:50 AM, and Casey Moreno was emailed the updated invite.',
      )
      .waitFor({ timeout: 30_000 });
    await screenshot(desk, 'approved-desktop');

    await moving.reload();
    expect(moving.startsAt.toISOString()).to.equal('2026-06-04T15:00:00.000Z');
    expect(moving.inviteSequence).to.equal(1);

    // Back in the portal: the appointment is at its new time, nothing waits any more.
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: 'Hello, Casey' }).waitFor();
    const moved = upcoming.locator('li.card').filter({ hasText: 'Thu, Jun 4, 11:00 – 11:50 AM' });
    await moved.waitFor();
    expect(
      await upcoming.locator('li.card').filter({ hasText: 'Wed, Jun 3, 10:00 – 10:50 AM' }).count(),
    ).to.equal(0);
    expect(await phone.getByText(/Reschedule requested/).count()).to.equal(0);
    await moved.getByRole('button', { name: 'Request a different time' }).waitFor();
    expect(await fitsWidth(phone), 'no sideways scrolling').to.equal(true);
    await screenshot(phone, 'moved-phone');
    await stage.capture.waitFor(
      (e) => e.subject.startsWith('Rescheduled: your appointment is now on'),
      20_000,
    );
    expect(pageErrors).to.deep.equal([]);
  });
  it('the client cancels an appointment whose move is pending: the move is closed with it, and the clinician reads why', async () => {
    const practice = await aPractice(ctx.db, { timeZone: 'America/New_York', cancellationPolicy: '24h' });
    const therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
    });
    await clinician.update({ timeZone: 'America/New_York' });
    const robin = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Hale' });
    const appointment = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: robin,
      service: therapy,
      startsAt: new Date('2026-06-03T14:00:00Z'),
    });
    const phone = await clientOnPhone(practice.slug, robin.email);
    const card = phone.getByRole('region', { name: 'My appointments' }).locator('li.card');
    await card.getByRole('button', { name: 'Request a different time' }).click();
    await phone.getByRole('button', { name: 'Thursday, June 4, 2026 at 11:00 AM' }).click();
    await phone.getByRole('button', { name: 'Send request' }).click();
    await card.getByText(/^Reschedule requested:/).waitFor();

    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await phone
      .getByRole('dialog', { name: 'Cancel this appointment?' })
      .getByRole('button', { name: 'Cancel appointment' })
      .click();
    await phone.getByText('Your appointment was canceled.').waitFor();
    // The list reloads after the answer: the pending move must leave it.
    await phone.getByText(/Reschedule requested/).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await fitsWidth(phone), 'no sideways scrolling').to.equal(true);
    await screenshot(phone, 'canceled-with-pending-move-phone');
    const request = (await ctx.db.AppointmentRequest.findOne({ where: { appointmentId: appointment.id } }))!;
    expect(request).to.include({ status: 'withdrawn', holdId: null });

    const desk = await device('desktop', 'America/New_York');
    await desk.clock.setFixedTime(new Date(NOW));
    await staffSignIn(desk, clinician.email);
    await desk.getByText('No requests are waiting for an answer.').waitFor();
    await desk.getByRole('button', { name: 'All requests' }).click();
    const closed = desk.getByRole('listitem').filter({ hasText: 'Robin Hale' });
    await closed
      .getByText('The appointment was canceled (Canceled), so this request to move it was closed.')
      .waitFor();
    expect(await closed.getByRole('button', { name: /^Actions/ }).count(), 'nothing to decide').to.equal(0);
    await screenshot(desk, 'closed-move-desktop');
    expect(pageErrors).to.deep.equal([]);
  });
});
