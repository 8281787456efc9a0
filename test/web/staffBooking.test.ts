import { expect } from 'chai';
import { parseIcs } from '../support/ics';
import type { Page } from 'playwright-core';
import { useBrowser, type DeviceKind } from '../support/browser';
import { appointmentUid } from '../../emails/ics';
import { aClient, aClinician, aPractice, aService, aStaffUser } from '../fixtures';

// The API's clock is Monday 1 June 2026, 12:00 UTC (08:00 in New York); the browser's is set to the same moment.
const NOW = '2026-06-01T12:00:00.000Z';

const icsOf = (utf8: string) => {
  const { method, uid, sequence } = parseIcs(utf8);
  return { method, uid, sequence };
};

describe('staff booking in Chromium: a manager books a client who phoned, then the practice cancels', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-staff-booking' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn } = stage;

  for (const kind of ['phone', 'desktop'] as DeviceKind[]) {
    it(`on a ${kind}: books at 7:15 in the evening (outside the hours), is told plainly of a clash, then cancels as Clinician Canceled`, async () => {
      const practice = await aPractice(ctx.db, {
        timeZone: 'America/New_York',
        cancellationPolicy: 'phone_call',
      });
      await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
      const clinician = await aClinician(ctx.db, practice);
      await clinician.update({ firstName: 'Dana', lastName: 'Reyes', timeZone: 'America/New_York' });
      const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
      const casey = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Morgan' });
      await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Hale' });
      // Wednesday 3 June, 18:00-20:00 New York: time off, so a 19:15 booking clashes.
      await ctx.db.TimeOff.create({
        clinicianId: clinician.id,
        startsAt: new Date('2026-06-03T22:00:00Z'),
        endsAt: new Date('2026-06-04T00:00:00Z'),
        reason: null,
      });

      const page: Page = await device(kind, 'America/Los_Angeles');
      await page.clock.setFixedTime(new Date(NOW));
      await staffSignIn(page, manager.email);
      // Wednesday 3 June: the week around it on a desktop, the day itself on a phone.
      await page.goto('/app/calendar?week=2026-06-03');
      await page.getByText(/^No appointments this (week|day)\.$/).waitFor();
      await page.getByRole('button', { name: 'Book an appointment' }).click();
      const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
      await dialog.getByLabel('Clinician').selectOption({ label: 'Dana Reyes' });
      await dialog.getByLabel('Find the client').fill('Casey');
      // The search narrows the list to Casey, who is then chosen without another step.
      const clientSelect = dialog.getByLabel('Client', { exact: true });
      await clientSelect.getByRole('option', { name: /^Robin Hale/ }).waitFor({ state: 'detached' });
      expect(await clientSelect.locator('option').count()).to.equal(2);
      expect(await clientSelect.inputValue()).to.equal(casey.id);
      await dialog.getByLabel('Service').selectOption({ label: 'Individual therapy (50 min)' });
      await dialog.getByLabel('Date').fill('2026-06-03');
      await dialog.getByLabel('Start time').fill('19:15');
      await dialog.getByText("In Dana Reyes's time zone").waitFor();
      await dialog.getByRole('button', { name: 'Book', exact: true }).click();
      await dialog
        .getByText("That time overlaps time off in the clinician's calendar. Pick another time.")
        .waitFor();
      await screenshot(page, `book-clash-${kind}`);
      expect(await ctx.db.Appointment.count({ where: { practiceId: practice.id } })).to.equal(0);

      // 20:15 New York: after the time off, outside the weekday 09:00-17:00 hours, booked all the same.
      await dialog.getByLabel('Start time').fill('20:15');
      await screenshot(page, `book-dialog-${kind}`);
      await dialog.getByRole('button', { name: 'Book', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      // On the grid: a desktop shows Dana's week in her zone; a manager's phone every clinician's day side by
      // side, in the manager's (here the browser's, Los Angeles).
      const shown = kind === 'desktop' ? '20:15–21:05' : '17:15–18:05';
      const entry = page.getByRole('button', {
        name: `Casey Morgan, Individual therapy, Wednesday 3 Jun ${shown}, Scheduled`,
      });
      await entry.waitFor();
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `booked-${kind}`);
      const [appointment] = await ctx.db.Appointment.findAll({ where: { practiceId: practice.id } });
      expect(appointment.startsAt.toISOString()).to.equal('2026-06-04T00:15:00.000Z');
      const invite = await stage.capture.waitFor(
        (e) => e.idempotencyKey === `appointment-booked/${appointment.id}`,
      );
      expect(icsOf(invite.attachments[0].utf8)).to.deep.equal({
        method: 'REQUEST',
        uid: appointmentUid(appointment.id),
        sequence: 0,
      });

      // The clinician falls ill: the practice cancels, by keyboard, under the phone-call policy.
      await entry.focus();
      await page.keyboard.press('Enter');
      const card = page.getByRole('dialog', { name: 'Casey Morgan, Individual therapy' });
      await card.getByText('Scheduled', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Cancel the appointment of Casey Morgan' }).focus();
      await page.keyboard.press('Enter');
      const cancel = page.getByRole('dialog', { name: 'Cancel this appointment?' });
      const recordAs = cancel.getByLabel('Record it as');
      expect(await recordAs.inputValue(), "the policy's verdict first").to.equal('canceled');
      await recordAs.selectOption('clinician_canceled');
      await cancel.getByLabel('Reason').fill('Dana is ill');
      await screenshot(page, `cancel-dialog-${kind}`);
      await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
      await cancel.waitFor({ state: 'detached' });
      await card.getByText('Clinician Canceled', { exact: true }).waitFor();
      await card.getByText('Canceled by the practice: “Dana is ill”').waitFor();
      expect(await card.getByRole('button', { name: /^Cancel/ }).count()).to.equal(0);
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `canceled-${kind}`);
      expect((await appointment.reload()).status).to.equal('clinician_canceled');

      const canceled = await stage.capture.waitFor(
        (e) => e.idempotencyKey === `appointment-canceled/${appointment.id}`,
      );
      const ics = icsOf(canceled.attachments[0].utf8);
      expect(ics).to.include({ method: 'CANCEL', uid: appointmentUid(appointment.id) });
      expect(ics.sequence).to.be.greaterThan(0);
      expect(pageErrors).to.deep.equal([]);
    });
  }
});
