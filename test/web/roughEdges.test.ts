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
    expect(await phone.evaluate("document.activeElement?.getAttribute('aria-label')")).to.equal(
      'Notifications, 1 unread',
    );
    await phone.keyboard.press('Enter');
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate('document.activeElement?.textContent')).to.equal('Mark all as read');
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

  /** The next request to `pattern` fails as a busy server would; later ones go through. */
  async function failOnce(page: Page, pattern: RegExp) {
    let failed = false;
    await page.route(pattern, async (route) => {
      if (failed || route.request().method() !== 'GET') return route.continue();
      failed = true;
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Unavailable', status: 503, detail: 'The service is busy right now.' }),
      });
    });
  }

  it('a load that failed offers "Try again", which loads the page without a reload', async () => {
    const { manager } = await aPracticeWithNews();
    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    await failOnce(desk, /\/api\/clients(\?|$)/);
    await desk.getByRole('link', { name: 'Clients' }).click();
    const alert = desk.getByRole('alert').filter({ hasText: 'The service is busy right now.' });
    await alert.waitFor();
    await screenshot(desk, 'load-failed-desktop');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await desk.getByRole('link', { name: 'Casey Quinn' }).waitFor();
    expect(await alert.count()).to.equal(0);

    const phone = await device('phone');
    await staffSignIn(phone, manager.email);
    await failOnce(phone, /\/api\/staff(\?|$)/);
    await phone.getByRole('link', { name: 'Staff' }).click();
    const staffAlert = phone.getByRole('alert').filter({ hasText: 'The service is busy right now.' });
    await staffAlert.waitFor();
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'load-failed-phone');
    await staffAlert.getByRole('button', { name: 'Try again' }).click();
    await phone.getByText(manager.email).first().waitFor();
    expect(pageErrors).to.deep.equal([]);
  });

  it('a success message goes once a field is changed again, and when the person navigates', async () => {
    const { manager } = await aPracticeWithNews();
    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    await desk.getByRole('link', { name: 'Staff' }).click();
    await desk.getByLabel('First name').fill('Noor');
    await desk.getByLabel('Last name').fill('Haddad');
    await desk.getByLabel('Email').fill('noor@example.test');
    await desk.getByRole('button', { name: 'Send invitation' }).click();
    const sent = desk.getByText(/^Invitation sent to noor@example.test/);
    await sent.waitFor();
    await screenshot(desk, 'invitation-sent-desktop');
    await desk.getByLabel('First name').fill('N');
    expect(await sent.count(), 'gone at the next change').to.equal(0);
    expect(await desk.getByLabel('First name').inputValue(), 'and the change itself kept').to.equal('N');

    const phone = await device('phone');
    await staffSignIn(phone, manager.email);
    await phone.getByRole('link', { name: 'Clients' }).click();
    await phone.getByRole('button', { name: 'Add client' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Add a client' });
    await dialog.getByLabel('First name').fill('Jamie');
    await dialog.getByLabel('Last name').fill('Lindqvist');
    await dialog.getByLabel('Email', { exact: true }).fill('jamie@example.test');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    const added = phone.getByText('Jamie Lindqvist was added.');
    await added.waitFor();
    await screenshot(phone, 'client-added-phone');
    // Back or forward to another address of the same page: the page stays, the message does not.
    await phone.evaluate(
      "window.history.pushState(null, '', '/app/clients?q=Quinn'); window.dispatchEvent(new PopStateEvent('popstate'))",
    );
    await phone.getByRole('link', { name: 'Casey Quinn' }).waitFor();
    expect(await added.count(), 'gone after navigating').to.equal(0);
    expect(pageErrors).to.deep.equal([]);
  });

  it("the portal lists only what is still going to happen as upcoming, and offers the practice's phone, not a button, under the phone-only policy", async () => {
    const { practice, service, clinician, client } = await aPracticeWithNews();
    await practice.update({ phone: '+1 555 0199' });
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(SLOT.getTime() + DAY),
      cancellationPolicy: 'phone_call',
    });
    const canceled = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(SLOT.getTime() + 2 * DAY),
    });
    const holdId = canceled.holdId!;
    await canceled.update({
      status: 'canceled',
      canceledBy: 'staff',
      canceledAt: ctx.clock.now(),
      holdId: null,
    });
    await ctx.db.TimeHold.destroy({ where: { id: holdId } });

    const phone = await device('phone');
    await phone.goto(`/portal/${practice.slug}`);
    await phone.getByRole('link', { name: "I'm an existing client" }).click();
    await phone.getByLabel('Email').fill(client.email);
    await phone.getByRole('button', { name: 'Email me a code' }).click();
    const codeEmail = await stage.capture.waitFor(
      (e) => e.to.includes(client.email) && (e.idempotencyKey?.startsWith('sign-in-code/') ?? false),
      20_000,
    );
    await phone.getByLabel('Sign-in code').fill(/\b(\d{6})\b/.exec(codeEmail.text ?? '')![1]);
    await failOnce(phone, /\/me\/appointments(\?|$)/);
    await phone.getByRole('button', { name: 'Sign in', exact: true }).click();
    await phone.getByRole('heading', { level: 1, name: 'Hello, Casey' }).waitFor();
    await phone.getByRole('alert').getByRole('button', { name: 'Try again' }).click();

    const upcoming = phone.getByRole('region', { name: 'My appointments' });
    const past = phone.getByRole('region', { name: 'Past and canceled appointments' });
    await past.waitFor();
    expect(await upcoming.locator('li.card').count()).to.equal(2);
    const phoneCard = upcoming.locator('li.card').nth(1);
    expect(await phoneCard.innerText()).to.include(
      "This appointment can't be canceled online; to cancel, please call +1 555 0199.",
    );
    expect(await phoneCard.getByRole('button', { name: 'Cancel appointment' }).count()).to.equal(0);
    expect(await phoneCard.getByRole('link', { name: 'Call +1 555 0199' }).getAttribute('href')).to.equal(
      'tel:+15550199',
    );
    expect(
      await upcoming.locator('li.card').first().getByRole('button', { name: 'Cancel appointment' }).count(),
    ).to.equal(1);
    const canceledCard = past.locator('li.card');
    expect(await canceledCard.count()).to.equal(1);
    await canceledCard.getByText('Canceled', { exact: true }).waitFor();
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'portal-appointments-phone');

    await phone.setViewportSize({ width: 1280, height: 860 });
    await screenshot(phone, 'portal-appointments-desktop');
    expect(pageErrors).to.deep.equal([]);
  });

  it("the time-zone picker: readable names with offsets, grouped by region, the practice's and the browser's zone first, searchable", async () => {
    const { manager, practice } = await aPracticeWithNews();
    const phone = await device('phone', 'America/Chicago');
    await staffSignIn(phone, manager.email);
    await phone.getByRole('link', { name: 'My profile' }).click();
    const select = phone.getByLabel('Time zone');
    await select.waitFor();
    const groups = await Promise.all(
      (await select.locator('optgroup').all()).map((g) => g.getAttribute('label')),
    );
    expect(groups.slice(0, 2)).to.deep.equal(['Suggested', 'Africa']);
    expect(groups).to.include.members(['Americas', 'Asia', 'Europe', 'Pacific']);
    const suggested = await select.locator('optgroup[label="Suggested"] option').allInnerTexts();
    expect(suggested).to.have.length(2);
    // The offsets depend on the date the browser runs on (summer or winter time), so either is right.
    expect(suggested[0]).to.match(/^New York \(Eastern Time, UTC−[45]\)$/);
    expect(suggested[1]).to.match(/^Chicago \(Central Time, UTC−[56]\)$/);
    expect(await select.locator('option[value="America/New_York"]').count(), 'listed once').to.equal(1);
    await screenshot(phone, 'zone-picker-phone');

    await phone.getByLabel('Find a city or region').fill('tokyo');
    await phone.getByText('1 time zone matches.').waitFor();
    const left = await select.locator('option').allInnerTexts();
    expect(left).to.deep.equal(["The practice's time zone", 'Tokyo (Japan Standard Time, UTC+9)']);
    await screenshot(phone, 'zone-picker-search-phone');
    await select.selectOption('Asia/Tokyo');
    await phone.getByRole('button', { name: 'Save profile' }).click();
    await phone.getByText('Profile saved.').waitFor();
    await manager.reload();
    expect(manager.timeZone).to.equal('Asia/Tokyo');
    expect(await fitsWidth(phone)).to.equal(true);

    // The same picker in Settings › Practice, on a desktop in Berlin: the practice's zone, then the browser's.
    const desk = await device('desktop', 'Europe/Berlin');
    await staffSignIn(desk, manager.email);
    await desk.getByRole('link', { name: 'Settings › Practice' }).click();
    const practiceZone = desk.getByLabel('Time zone');
    await practiceZone.waitFor();
    expect(await practiceZone.inputValue()).to.equal(practice.timeZone);
    const first = await practiceZone.locator('optgroup[label="Suggested"] option').allInnerTexts();
    expect(first.map((t) => t.split(' (')[0])).to.deep.equal(['New York', 'Berlin']);
    await desk.getByLabel('Find a city or region').fill('utc+1');
    const matching = await practiceZone.locator('optgroup:not([label="Suggested"]) option').allInnerTexts();
    expect(matching.length).to.be.greaterThan(0);
    expect(
      matching.filter((t) => !/UTC\+1\)$/.test(t)),
      'UTC+1 only, not UTC+10 to +14',
    ).to.deep.equal([]);
    await screenshot(desk, 'zone-picker-search-desktop');
    expect(pageErrors).to.deep.equal([]);
  });
});
