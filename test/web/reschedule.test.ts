import { expect } from 'chai';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { useBrowser, type DeviceKind } from '../support/browser';
import { appointmentUid } from '../../emails/ics';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

// The API's clock is Monday 1 June 2026, 12:00 UTC (08:00 in New York); the browser's is set to the same moment.
const NOW = '2026-06-01T12:00:00.000Z';

describe('staff reschedule in Chromium: a clinician moves an appointment, first onto a taken time', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-reschedule' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn } = stage;

  for (const kind of ['phone', 'desktop'] as DeviceKind[]) {
    it(`on a ${kind}: the taken time is refused in words, the free one moves it and the client gets the new invite`, async () => {
      const practice = await aPractice(ctx.db, { timeZone: 'America/New_York' });
      const therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
      const clinician = await aClinician(ctx.db, practice);
      await clinician.update({ timeZone: 'America/New_York' });
      const robin = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Hale' });
      const casey = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Morgan' });
      // Wednesday 3 June and Thursday 4 June, both 10:00 in New York; Friday 29 May is over.
      const moving = await anAppointment(ctx.db, {
        practice,
        clinician,
        client: robin,
        service: therapy,
        startsAt: new Date('2026-06-03T14:00:00Z'),
      });
      await anAppointment(ctx.db, {
        practice,
        clinician,
        client: casey,
        service: therapy,
        startsAt: new Date('2026-06-04T14:00:00Z'),
      });
      await anAppointment(ctx.db, {
        practice,
        clinician,
        client: casey,
        service: therapy,
        startsAt: new Date('2026-05-29T14:00:00Z'),
      });

      // A browser in Los Angeles: the dialog still reads the time in the clinician's zone.
      const page: Page = await device(kind, 'America/Los_Angeles');
      await page.clock.setFixedTime(new Date(NOW));
      await staffSignIn(page, clinician.email);

      await page.goto('/app/calendar?week=2026-05-29');
      await page.getByRole('button', { name: /^Casey Morgan, Individual therapy, Friday 29 May / }).click();
      const over = page.getByRole('dialog', { name: 'Casey Morgan, Individual therapy' });
      await over.getByRole('button', { name: 'Mark as show' }).waitFor();
      expect(
        await over.getByRole('button', { name: /^Reschedule/ }).count(),
        'started: not movable',
      ).to.equal(0);

      await page.goto('/app/calendar?week=2026-06-03');
      // By keyboard: the appointment on the grid opens its actions, then Reschedule.
      const robinEntry = page.getByRole('button', {
        name: 'Robin Hale, Individual therapy, Wednesday 3 Jun 10:00–10:50, Scheduled',
      });
      await robinEntry.focus();
      await page.keyboard.press('Enter');
      const robinCard = page.getByRole('dialog', { name: 'Robin Hale, Individual therapy' });
      const open = robinCard.getByRole('button', { name: /^Reschedule Robin Hale/ });
      await open.waitFor();
      await screenshot(page, `calendar-${kind}`);
      await open.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Reschedule Robin Hale' });
      await dialog.getByText('Date and time in Eastern Time').waitFor();
      await dialog.getByText(/same length \(50 min\)/).waitFor();
      // Thursday 10:30 overlaps Casey's 10:00-10:50.
      await dialog.getByLabel('New date').fill('2026-06-04');
      await dialog.getByLabel('New start time').fill('10:30');
      await dialog.getByRole('button', { name: 'Move appointment' }).click();
      await dialog
        .getByText(
          'That time overlaps another appointment, a pending request or time off. Pick another time.',
        )
        .waitFor();
      await dialog.getByText('The appointment stays at its current time.').waitFor();
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `reschedule-taken-${kind}`);
      expect((await moving.reload()).startsAt.toISOString()).to.equal('2026-06-03T14:00:00.000Z');

      // Friday 9:00 in New York is free.
      await dialog.getByLabel('New date').fill('2026-06-05');
      await dialog.getByLabel('New start time').fill('09:00');
      await dialog.getByRole('button', { name: 'Move appointment' }).click();
      await page
        .getByText(
          "Moved Robin Hale's appointment to Friday, June 5, 2026 at 9:00 AM. They will get an updated calendar invite by email.",
        )
        .waitFor();
      expect(await dialog.count()).to.equal(0);
      expect(await robinCard.count(), 'the actions close with the move').to.equal(0);
      // Friday 5 June: the week around it on a desktop, the day itself on a phone.
      await page.goto('/app/calendar?week=2026-06-05');
      await page
        .getByRole('region', { name: 'Friday 5 Jun' })
        .getByRole('button', { name: 'Robin Hale, Individual therapy, Friday 5 Jun 09:00–09:50, Scheduled' })
        .waitFor();
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `rescheduled-${kind}`);

      await moving.reload();
      expect(moving.startsAt.toISOString()).to.equal('2026-06-05T13:00:00.000Z');
      expect(moving.inviteSequence).to.equal(1);
      const email = await stage.capture.waitFor(
        (e) => e.idempotencyKey === `appointment-rescheduled/${moving.id}/1`,
        20_000,
      );
      expect(email.to).to.deep.equal([robin.email]);
      const event = new ICAL.Event(
        new ICAL.Component(ICAL.parse(email.attachments[0].utf8)).getFirstSubcomponent('vevent')!,
      );
      expect(event.uid).to.equal(appointmentUid(moving.id));
      expect(event.sequence).to.equal(1);
      expect(event.startDate.toJSDate().toISOString()).to.equal('2026-06-05T13:00:00.000Z');
      expect(pageErrors).to.deep.equal([]);
    });
  }
});
