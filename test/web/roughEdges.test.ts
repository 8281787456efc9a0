import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser';
import { aClient, aClinician, aPractice, aService, aStaffUser, anAppointment } from '../fixtures';

// Wednesday 10 June 2026, 10:00 in New York: after the server's fixed clock (Monday 1 June, 12:00 UTC).
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const DAY = 86_400_000;

describe("the dashboard's and portal's rough edges in Chromium (phone 390 px, desktop 1280 px)", function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-rough-edges' });
  const { ctx, device, screenshot, fitsWidth, staffSignIn, pageErrors } = stage;
  const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });

  /** A practice, a manager (the longest navigation), and a client's canceled appointment ringing the bell. */
  async function aPracticeWithNews() {
    const practice = await aPractice(ctx.db, { name: 'Riverside Therapy', timeZone: 'America/New_York' });
    const service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    const clinician = await aClinician(ctx.db, practice);
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const client = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Quinn' });
    const appointment = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
    await ctx.db.Notification.create({
      userId: manager.id,
      kind: 'appointment_canceled',
      dedupeKey: `appointment-canceled/${appointment.id}`,
      requestId: null,
      appointmentId: appointment.id,
    });
    return { practice, service, clinician, manager, client, appointment };
  }

  it('the bell panel fits a phone, names the client, and works by keyboard: in by Tab, out by Escape or Tab', async () => {
    const { manager } = await aPracticeWithNews();
    const phone = await device('phone');
    await staffSignIn(phone, manager.email);
    await bell(phone).focus();
    await phone.keyboard.press('Enter');
    const panel = phone.getByRole('region', { name: 'Notifications' });
    await panel.getByText('Casey Quinn canceled the appointment on Wed, Jun 10, 2026').waitFor();
    const box = (await panel.boundingBox())!;
    expect(box.x, 'left edge on screen').to.be.at.least(0);
    expect(box.x + box.width, 'right edge on screen').to.be.at.most(390);
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'bell-open-phone');

    await phone.keyboard.press('Escape');
    expect(await panel.isVisible()).to.equal(false);
    expect(await phone.evaluate(() => document.activeElement?.getAttribute('aria-label'))).to.equal(
      'Notifications, 1 unread',
    );
    await phone.keyboard.press('Enter');
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.textContent)).to.equal('Mark all as read');
    await phone.keyboard.press('Tab');
    await phone.keyboard.press('Tab');
    // Past the last item the panel closes rather than covering where the focus went.
    expect(await panel.isVisible()).to.equal(false);
    await bell(phone).click();
    await panel.getByRole('button', { name: /Casey Quinn canceled/ }).focus();
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    expect(await bell(phone).getAttribute('aria-label')).to.equal('Notifications, 0 unread');

    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    await bell(desk).click();
    await desk
      .getByRole('region', { name: 'Notifications' })
      .getByText(/Casey Quinn canceled/)
      .waitFor();
    await screenshot(desk, 'bell-open-desktop');
    expect(pageErrors).to.deep.equal([]);
  });

  it('the navigation on a phone shows where more sections are, and keeps the current page in view', async () => {
    const { manager } = await aPracticeWithNews();
    const phone = await device('phone');
    await staffSignIn(phone, manager.email);
    const scroller = phone.getByTestId('main-nav-scroller');
    const cue = async () => (await scroller.getAttribute('class'))!.split(' ').sort().join(' ');
    expect(await cue()).to.equal('main-nav-scroller more-after');
    await screenshot(phone, 'nav-start-phone');

    await phone.getByRole('link', { name: 'My profile' }).click();
    await phone.getByRole('heading', { level: 1, name: /profile/i }).waitFor();
    const current = phone.locator('.main-nav [aria-current="page"]');
    const box = (await current.boundingBox())!;
    expect(box.x).to.be.at.least(0);
    expect(box.x + box.width).to.be.at.most(390);
    expect(await cue()).to.include('more-before');
    await screenshot(phone, 'nav-profile-phone');

    // Straight to a settings page: it is scrolled into view on arrival, with cues both ways.
    await phone.goto('/app/settings/availabilities');
    await phone.getByRole('heading', { level: 1, name: 'Availabilities' }).waitFor();
    const availability = (await current.boundingBox())!;
    expect(availability.x).to.be.at.least(0);
    expect(availability.x + availability.width).to.be.at.most(390);
    expect(await fitsWidth(phone)).to.equal(true);

    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    expect(await desk.getByTestId('main-nav-scroller').getAttribute('class')).to.equal('main-nav-scroller');
    await screenshot(desk, 'nav-desktop');
    expect(pageErrors).to.deep.equal([]);
  });
});
