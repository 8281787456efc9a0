import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser, type DeviceKind } from '../support/browser';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

// The API's clock is Monday 1 June 2026, 12:00 UTC (08:00 in New York); the browser's is set to the same moment.
const NOW = '2026-06-01T12:00:00.000Z';

describe('time off and attendance in Chromium: a clinician blocks an afternoon and marks a No Show', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-attendance' });
  const { ctx, device, screenshot, pageErrors, fitsWidth, staffSignIn } = stage;

  for (const kind of ['phone', 'desktop'] as DeviceKind[]) {
    it(`on a ${kind}: adds time off the portal then hides, and marks last Friday's appointment No Show`, async () => {
      const practice = await aPractice(ctx.db, { timeZone: 'America/New_York' });
      const consultation = await aService(ctx.db, practice, {
        name: 'Initial consultation',
        durationMinutes: 30,
      });
      const therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
      const clinician = await aClinician(ctx.db, practice, {
        preferences: {
          initialConsultationServiceId: consultation.id,
          startTimeIntervalMinutes: 60,
          minimumNoticeHours: 24,
        },
        rules: [
          {
            rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
            startDate: '2026-01-01',
            startTime: '09:00',
            endTime: '17:00',
            timeZone: 'America/New_York',
          },
        ],
      });
      await clinician.update({ timeZone: 'America/New_York' });
      const casey = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Morgan' });
      const robin = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Hale' });
      // Friday 29 May, 10:00 New York: over. Wednesday 3 June: ahead, so nothing to mark yet.
      const past = await anAppointment(ctx.db, {
        practice,
        clinician,
        client: casey,
        service: therapy,
        startsAt: new Date('2026-05-29T14:00:00Z'),
      });
      await anAppointment(ctx.db, {
        practice,
        clinician,
        client: robin,
        service: therapy,
        startsAt: new Date('2026-06-03T14:00:00Z'),
      });
      const portalStarts = async () => {
        const q = new URLSearchParams({
          clinicianId: clinician.id,
          serviceId: consultation.id,
          from: '2026-06-02T04:00:00Z',
          to: '2026-06-03T04:00:00Z',
        });
        const res = await ctx.http.get(`/portal/${practice.slug}/availability?${q}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return (res.body.slots as { startsAt: string }[]).map((s) => s.startsAt);
      };
      // Tuesday 2 June, 13:00-17:00 New York (17:00-21:00 UTC) is open before the time off.
      expect(await portalStarts()).to.include.members([
        '2026-06-02T17:00:00.000Z',
        '2026-06-02T20:00:00.000Z',
      ]);

      const page: Page = await device(kind, 'America/Los_Angeles');
      await page.clock.setFixedTime(new Date(NOW));
      await staffSignIn(page, clinician.email);

      // Time off, entered in the clinician's zone (New York) from a browser in Los Angeles.
      await page.goto('/app/settings/availabilities');
      await page.getByRole('heading', { level: 2, name: 'Time off' }).waitFor();
      await page.getByText('No time off from today on.').waitFor();
      await page.getByRole('button', { name: 'Add time off' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add time off' });
      await dialog.getByLabel('Starts').fill('2026-06-02T13:00');
      await dialog.getByLabel('Ends').fill('2026-06-02T12:00');
      await dialog.getByText('The end must be after the start.').waitFor();
      await screenshot(page, `time-off-backwards-${kind}`);
      await dialog.getByLabel('Ends').fill('2026-06-02T17:00');
      await dialog.getByLabel('Reason').fill('Dentist');
      await dialog.getByRole('button', { name: 'Add time off' }).click();
      await page.getByText(/^Time off added: Tue, Jun 2, 1:00\s?(–|-)\s?5:00\s?PM\.$/).waitFor();
      await page.getByRole('listitem').filter({ hasText: 'Dentist' }).waitFor();
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `time-off-added-${kind}`);

      const [row] = await ctx.db.TimeOff.findAll({ where: { clinicianId: clinician.id } });
      expect(row.startsAt.toISOString()).to.equal('2026-06-02T17:00:00.000Z');
      expect(row.endsAt.toISOString()).to.equal('2026-06-02T21:00:00.000Z');
      const open = await portalStarts();
      expect(open, 'the afternoon is gone from the portal').to.not.include('2026-06-02T17:00:00.000Z');
      expect(open).to.not.include('2026-06-02T20:00:00.000Z');
      expect(open, 'the morning is still offered').to.include('2026-06-02T13:00:00.000Z');

      // Attendance: the past appointment offers Show / No Show, the coming one nothing.
      // The calendar grid: the appointment opens its actions.
      await page.goto('/app/calendar?week=2026-05-29');
      await page.getByRole('button', { name: /^Casey Morgan, Individual therapy, .*, Scheduled$/ }).click();
      const casey29 = page.getByRole('dialog', { name: 'Casey Morgan, Individual therapy' });
      await casey29.getByRole('button', { name: 'Mark as no show' }).waitFor();
      await screenshot(page, `calendar-before-marking-${kind}`);
      await casey29.getByRole('button', { name: 'Mark as no show' }).click();
      await casey29.getByText('No Show', { exact: true }).waitFor();
      await casey29.getByRole('button', { name: 'Change to show' }).waitFor();
      expect(await casey29.getByRole('button', { name: 'Mark as no show' }).count()).to.equal(0);
      expect(await fitsWidth(page), 'no sideways scrolling').to.equal(true);
      await screenshot(page, `calendar-no-show-${kind}`);
      expect((await past.reload()).status).to.equal('no_show');
      await casey29.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: /^Casey Morgan, Individual therapy, .*, No Show$/ }).waitFor();

      await page.goto('/app/calendar?week=2026-06-03');
      await page.getByRole('button', { name: /^Robin Hale, Individual therapy, .*, Scheduled$/ }).click();
      const robin3 = page.getByRole('dialog', { name: 'Robin Hale, Individual therapy' });
      await robin3.getByRole('button', { name: /^Cancel the appointment/ }).waitFor();
      expect(
        await robin3.getByRole('button', { name: /^(Mark as|Change to)/ }).count(),
        'not started: nothing to mark',
      ).to.equal(0);

      // Deleting the time off, by keyboard, gives the afternoon back to the portal.
      await page.goto('/app/settings/availabilities');
      await page.getByRole('button', { name: /^Delete time off: Tue, Jun 2/ }).focus();
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('dialog', { name: 'Delete time off?' });
      await confirm.getByRole('button', { name: 'Delete' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('Time off deleted.').waitFor();
      await page.getByText('No time off from today on.').waitFor();
      expect(await portalStarts()).to.include('2026-06-02T17:00:00.000Z');
      expect(pageErrors).to.deep.equal([]);
    });
  }
});
