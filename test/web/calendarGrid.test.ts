import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { useBrowser } from '../support/browser';
import { aClient, aClinician, aPractice, aService, aStaffUser } from '../fixtures';
import type { Practice, Service, StaffUser } from '../../models';

// The API's clock is Monday 1 June 2026, 12:00 UTC; the browser's is set to the same moment. The week shown is
// Sunday 7 to Saturday 13 June; the clinician works weekdays 09:00-17:00 in New York, the browser is in Los Angeles.
const NOW = '2026-06-01T12:00:00.000Z';

/** The top and bottom of an element on the page, in CSS pixels. */
async function edges(locator: Locator): Promise<{ top: number; bottom: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { top: Math.round(box.y), bottom: Math.round(box.y + box.height) };
}

/** The aria-label of what has keyboard focus. */
const focusedLabel = (page: Page) =>
  page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''") as Promise<string>;
/** Whether keyboard focus is on one of the grid's appointments or free times. */
const focusInGrid = (page: Page) =>
  page.evaluate("document.activeElement?.hasAttribute('data-nav') ?? false") as Promise<boolean>;
const focusedText = (page: Page) => page.evaluate('document.activeElement?.textContent') as Promise<string>;

describe('the calendar grid in Chromium: week and day, holds, time off, availability, booking and canceling', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-calendar-grid' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn } = stage;

  let practice: Practice;
  let dana: StaffUser;
  let service: Service;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { timeZone: 'America/New_York', cancellationPolicy: '24h' });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    dana = await aClinician(ctx.db, practice);
    await dana.update({ firstName: 'Dana', lastName: 'Reyes', timeZone: 'America/New_York' });
  });

  /** Alex Lee's appointment, Jordan Kim's pending request and Dana's dentist: the week's three kinds of busy. */
  async function aBusyWeek() {
    const alex = await aClient(ctx.db, practice, { firstName: 'Alex', lastName: 'Lee' });
    // Tuesday 9 June, 10:00-10:50 New York.
    const startsAt = new Date('2026-06-09T14:00:00Z');
    const endsAt = new Date('2026-06-09T14:50:00Z');
    const hold = await ctx.db.TimeHold.create({
      clinicianId: dana.id,
      during: ctx.db.TimeHold.range(startsAt, endsAt),
      kind: 'appointment',
    });
    const appointment = await ctx.db.Appointment.create({
      practiceId: practice.id,
      clinicianId: dana.id,
      serviceId: service.id,
      clientId: alex.id,
      requestId: null,
      startsAt,
      endsAt,
      cancellationPolicy: '24h',
      holdId: hold.id,
    });
    // Wednesday 10 June, 13:00-13:50 New York: a new client's request, waiting for Dana.
    const requestStart = new Date('2026-06-10T17:00:00Z');
    const requestEnd = new Date('2026-06-10T17:50:00Z');
    const requestHold = await ctx.db.TimeHold.create({
      clinicianId: dana.id,
      during: ctx.db.TimeHold.range(requestStart, requestEnd),
      kind: 'request',
    });
    await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: dana.id,
      serviceId: service.id,
      clientId: null,
      newClient: {
        firstName: 'Jordan',
        lastName: 'Kim',
        email: 'jordan.kim@example.test',
        phone: '+1 555 0100',
      },
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt: requestStart,
      endsAt: requestEnd,
      holdId: requestHold.id,
      idempotencyKey: null,
      createdAt: new Date(NOW),
    });
    // Thursday 11 June, 12:00-14:00 New York.
    await ctx.db.TimeOff.create({
      clinicianId: dana.id,
      startsAt: new Date('2026-06-11T16:00:00Z'),
      endsAt: new Date('2026-06-11T18:00:00Z'),
      reason: 'Dentist',
    });
    return { alex, appointment };
  }

  it('at 1280 px a manager sees the week in the clinician’s zone, books a free time, and cancels from the appointment', async () => {
    const { alex, appointment } = await aBusyWeek();
    const sam = await aClinician(ctx.db, practice, { rules: [{ timeZone: 'America/Chicago' }] });
    await sam.update({ firstName: 'Sam', lastName: 'Ortiz', timeZone: 'America/Chicago' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });

    const page = await device('desktop', 'America/Los_Angeles');
    await page.clock.setFixedTime(new Date(NOW));
    await staffSignIn(page, manager.email);
    await page.goto('/app/calendar?week=2026-06-08');
    // The week shows one clinician: Sam Ortiz comes first by name; the picker switches to Dana.
    await page.getByRole('region', { name: 'Monday 8 Jun' }).waitFor();
    await page.getByLabel('Clinician').selectOption({ label: 'Dana Reyes' });
    await page.getByText(/Times are shown in Eastern Time.*Dana Reyes's time zone/).waitFor();
    await page.getByText(/This device is set to Pacific Time/).waitFor();

    const day = (name: string) => page.getByRole('region', { name });
    const tuesday = day('Tuesday 9 Jun');
    const book = (col: Locator, label: string) => col.getByRole('button', { name: label, exact: true });

    // The appointment at 10:00 New York (7:00 in the browser's zone), right under the free 9:30 half hour.
    const entry = tuesday.getByRole('button', {
      name: 'Alex Lee, Individual therapy, Tuesday 9 Jun 10:00–10:50, Scheduled',
    });
    await entry.waitFor();
    expect(await entry.textContent()).to.match(/Alex Lee[\s\S]*10:00\sAM[\s\S]*Scheduled/);
    const nineThirty = await edges(book(tuesday, 'Book Tuesday 9 Jun 09:30'));
    expect((await edges(entry)).top).to.equal(nineThirty.bottom);
    expect(await book(tuesday, 'Book Tuesday 9 Jun 10:00').count(), 'taken: not offered').to.equal(0);
    expect(await book(tuesday, 'Book Tuesday 9 Jun 10:30').count()).to.equal(0);

    // The pending request at 13:00, distinct, linking to the requests.
    const wednesday = day('Wednesday 10 Jun');
    const hold = wednesday.getByRole('link', {
      name: /^Pending request: Jordan Kim, Individual therapy, 13:00–13:50/,
    });
    expect(await hold.innerText()).to.match(/^Pending request: Jordan Kim/);
    expect(await hold.getAttribute('href')).to.equal('/app/requests');
    expect((await edges(hold)).top).to.equal(
      (await edges(book(wednesday, 'Book Wednesday 10 Jun 12:30'))).bottom,
    );
    expect(await book(wednesday, 'Book Wednesday 10 Jun 13:00').count()).to.equal(0);

    // Time off blocks 12:00-14:00 on Thursday.
    const thursday = day('Thursday 11 Jun');
    const off = thursday.locator('.cal-time-off');
    expect(await off.innerText()).to.match(/^Time off · Dentist/);
    const offEdges = await edges(off);
    expect(offEdges.top).to.equal((await edges(book(thursday, 'Book Thursday 11 Jun 11:30'))).bottom);
    expect(offEdges.bottom).to.equal((await edges(book(thursday, 'Book Thursday 11 Jun 14:00'))).top);
    for (const t of ['12:00', '12:30', '13:00', '13:30'])
      expect(await book(thursday, `Book Thursday 11 Jun ${t}`).count(), t).to.equal(0);

    // Availability: weekdays 09:00-17:00 shaded, none on Sunday.
    const window = tuesday.locator('.cal-available');
    await window.getByText('Open for online requests 09:00–17:00').waitFor({ state: 'attached' });
    const windowEdges = await edges(window);
    expect(windowEdges.top).to.equal((await edges(book(tuesday, 'Book Tuesday 9 Jun 09:00'))).top);
    expect(windowEdges.bottom).to.equal((await edges(book(tuesday, 'Book Tuesday 9 Jun 17:00'))).top);
    expect(await day('Sunday 7 Jun').locator('.cal-available').count()).to.equal(0);
    expect(await day('Friday 12 Jun').locator('.cal-available').count()).to.equal(1);
    // 7:00 to 20:00: nothing this week falls outside.
    const hourLabels = page.locator('.cal-hour');
    expect([await hourLabels.first().textContent(), await hourLabels.last().textContent()]).to.deep.equal([
      '7 AM',
      '7 PM',
    ]);
    // Arrow keys cross the days at the same time of day.
    await entry.focus();
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel(page)).to.equal('Book Wednesday 10 Jun 10:00');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedLabel(page)).to.equal(
      'Alex Lee, Individual therapy, Tuesday 9 Jun 10:00–10:50, Scheduled',
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel(page)).to.equal('Book Thursday 11 Jun 10:00');
    expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
    await screenshot(page, 'week-desktop');

    // A free time books: the dialog opens with Dana and 15:00 Wednesday filled in.
    await book(wednesday, 'Book Wednesday 10 Jun 15:00').click();
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
    expect(await dialog.getByLabel('Clinician').inputValue()).to.equal(dana.id);
    expect(await dialog.getByLabel('Date').inputValue()).to.equal('2026-06-10');
    expect(await dialog.getByLabel('Start time').inputValue()).to.equal('15:00');
    await dialog.getByLabel('Find the client').fill('Alex');
    await dialog.getByRole('option', { name: /^Alex Lee/ }).waitFor({ state: 'attached' });
    await screenshot(page, 'book-from-grid-desktop');
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await wednesday
      .getByRole('button', { name: 'Alex Lee, Individual therapy, Wednesday 10 Jun 15:00–15:50, Scheduled' })
      .waitFor();
    const booked = await ctx.db.Appointment.findOne({
      where: { practiceId: practice.id, startsAt: new Date('2026-06-10T19:00:00Z') },
    });
    expect(booked, 'booked at 15:00 New York').to.not.equal(null);
    expect(booked!.clinicianId).to.equal(dana.id);
    const confirmation = await stage.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-booked/${booked!.id}`,
      20_000,
    );
    expect(confirmation.to).to.deep.equal([alex.email]);

    // Clicking the appointment opens its actions; canceling it leaves it on the grid as Canceled.
    await entry.click();
    const actions = page.getByRole('dialog', { name: 'Alex Lee, Individual therapy' });
    await actions.getByRole('button', { name: 'Reschedule Alex Lee', exact: false }).waitFor();
    await screenshot(page, 'appointment-actions-desktop');
    await actions.getByRole('button', { name: 'Cancel the appointment of Alex Lee' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel this appointment?' });
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    await cancel.waitFor({ state: 'detached' });
    await actions.getByText('Canceled', { exact: true }).waitFor();
    expect(await actions.getByRole('button', { name: /^Cancel the appointment/ }).count()).to.equal(0);
    await actions.getByRole('button', { name: 'Close' }).click();
    await tuesday
      .getByRole('button', { name: 'Alex Lee, Individual therapy, Tuesday 9 Jun 10:00–10:50, Canceled' })
      .waitFor();
    // Canceled, the time is free again.
    await book(tuesday, 'Book Tuesday 9 Jun 10:00').waitFor();
    // The freed time lies under the canceled entry: the entry offers it.
    await tuesday.getByRole('button', { name: /Tuesday 9 Jun 10:00–10:50, Canceled$/ }).click();
    await actions.getByRole('button', { name: 'Book this time for another client' }).click();
    const again = page.getByRole('dialog', { name: 'Book an appointment' });
    expect(await again.getByLabel('Date').inputValue()).to.equal('2026-06-09');
    expect(await again.getByLabel('Start time').inputValue()).to.equal('10:00');
    await again.getByRole('button', { name: 'Cancel', exact: true }).click();
    await again.waitFor({ state: 'detached' });
    expect((await appointment.reload()).status).to.equal('canceled');
    await stage.capture.waitFor((e) => e.idempotencyKey === `appointment-canceled/${appointment.id}`, 20_000);
    await screenshot(page, 'canceled-desktop');

    // The day view puts every clinician side by side, each in a column of their own.
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByLabel('Clinician').selectOption({ label: 'All clinicians, side by side' });
    // Side by side, the manager's own zone (the browser's, as they set none) is the one clock for both.
    await page.getByText('Times are shown in Pacific Time (America/Los Angeles).').waitFor();
    await day('Dana Reyes, Monday 8 Jun')
      .getByText('Open for online requests 06:00–14:00')
      .waitFor({ state: 'attached' });
    await day('Sam Ortiz, Monday 8 Jun')
      .getByText('Open for online requests 07:00–15:00')
      .waitFor({ state: 'attached' });
    expect(await hourLabels.first().textContent(), "stretched to Dana's 9:00 in New York").to.equal('6 AM');
    await day('Sam Ortiz, Monday 8 Jun')
      .getByRole('button', { name: 'Book Sam Ortiz, Monday 8 Jun 11:00' })
      .waitFor();
    expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
    await screenshot(page, 'day-all-clinicians-desktop');
    expect(pageErrors).to.deep.equal([]);
  });

  it('at 390 px the clinician’s day fits the screen and books by keyboard alone', async () => {
    const { alex } = await aBusyWeek();
    const page = await device('phone', 'America/Los_Angeles');
    await page.clock.setFixedTime(new Date(NOW));
    await staffSignIn(page, dana.email);
    await page.goto('/app/calendar?week=2026-06-09');
    // A phone opens on the day, not the week.
    await page.getByRole('heading', { name: 'Tuesday, June 9' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Day', exact: true }).getAttribute('aria-pressed'),
    ).to.equal('true');
    const tuesday = page.getByRole('region', { name: 'Tuesday 9 Jun' });
    await tuesday
      .getByRole('button', { name: 'Alex Lee, Individual therapy, Tuesday 9 Jun 10:00–10:50, Scheduled' })
      .waitFor();
    expect(await page.locator('.cal-column').count()).to.equal(1);
    expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
    await screenshot(page, 'day-phone');

    // Tab from the day navigation into the grid: its one Tab stop is the day's appointment.
    await page.getByRole('button', { name: 'Next day' }).focus();
    let tabs = 0;
    while (!(await focusInGrid(page))) {
      await page.keyboard.press('Tab');
      expect((tabs += 1), 'the grid is reachable by Tab').to.be.below(10);
    }
    expect(await focusedLabel(page)).to.equal(
      'Alex Lee, Individual therapy, Tuesday 9 Jun 10:00–10:50, Scheduled',
    );
    // Down: past the taken half hours to 11:00; up and down move through the day.
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel(page)).to.equal('Book Tuesday 9 Jun 11:00');
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel(page)).to.equal('Book Tuesday 9 Jun 11:30');
    await page.keyboard.press('ArrowUp');
    expect(await focusedLabel(page)).to.equal('Book Tuesday 9 Jun 11:00');
    await screenshot(page, 'day-phone-focus');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
    expect(await dialog.getByLabel('Start time').inputValue()).to.equal('11:00');
    await page.keyboard.type('Alex');
    await dialog.getByRole('option', { name: /^Alex Lee/ }).waitFor({ state: 'attached' });
    tabs = 0;
    while ((await focusedText(page)) !== 'Book') {
      await page.keyboard.press('Tab');
      expect((tabs += 1), 'the Book button is reachable by Tab').to.be.below(15);
    }
    expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
    await screenshot(page, 'book-dialog-phone');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await tuesday
      .getByRole('button', { name: 'Alex Lee, Individual therapy, Tuesday 9 Jun 11:00–11:50, Scheduled' })
      .waitFor();
    const booked = await ctx.db.Appointment.findOne({
      where: { practiceId: practice.id, startsAt: new Date('2026-06-09T15:00:00Z') },
    });
    expect(booked, 'booked at 11:00 New York').to.not.equal(null);
    const confirmation = await stage.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-booked/${booked!.id}`,
      20_000,
    );
    expect(confirmation.to).to.deep.equal([alex.email]);
    expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
    await screenshot(page, 'booked-phone');
    expect(pageErrors).to.deep.equal([]);
  });
});
