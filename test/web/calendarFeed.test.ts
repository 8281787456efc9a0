import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { aClient, aClinician, aPractice, aService, aStaffUser, anAppointment } from '../fixtures';

describe('the calendar feed section in Chromium: create, copy, renew and turn off the link', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-calendar-feed' });
  const { ctx, device, screenshot, fitsWidth, pageErrors } = stage;

  it('a clinician on a phone makes a link, renews it (the old one stops) and turns it off; an admin on a desktop sees it', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const clinician = await aClinician(ctx.db, practice);
    await clinician.update({ firstName: 'Dana', lastName: 'Lee' });
    const client = await aClient(ctx.db, practice, { firstName: 'Rosa', lastName: 'Rivera' });
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service: await aService(ctx.db, practice, { name: 'Individual therapy' }),
      startsAt: new Date(ctx.clock.now().getTime() + 3 * 86_400_000),
    });

    const phone = await device('phone');
    await stage.staffSignIn(phone, clinician.email);
    await phone.goto('/app/settings/availabilities');
    await phone.getByRole('heading', { level: 2, name: 'Calendar feed' }).waitFor();
    await phone.getByRole('button', { name: 'Create calendar link' }).click();
    await phone.getByText('Calendar feed turned on.').waitFor();
    const link = phone.getByLabel('Subscription link (Google Calendar, Outlook on the web)', { exact: true });
    const first = await link.inputValue();
    expect(first).to.match(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(
      await phone
        .getByLabel('webcal:// link (opens Apple Calendar or Outlook)', { exact: true })
        .inputValue(),
    ).to.equal(first.replace(/^https?:/, 'webcal:'));
    const feed = await ctx.http.get(new URL(first).pathname);
    expect(feed.status).to.equal(200);
    expect(feed.body).to.include('SUMMARY:R.R. · Individual therapy');
    await phone
      .getByRole('button', { name: 'Copy: Subscription link (Google Calendar, Outlook on the web)' })
      .click();
    await phone.getByText(/Link copied\.|Press Ctrl\+C/).waitFor();
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'feed-on-phone');

    await phone.getByRole('button', { name: 'Get a new link' }).click();
    await phone.getByRole('dialog', { name: 'Get a new calendar link?' }).waitFor();
    await phone.getByText('The old link stops working at once.', { exact: false }).waitFor();
    await screenshot(phone, 'feed-renew-confirm-phone');
    await phone.getByRole('dialog').getByRole('button', { name: 'Get a new link' }).click();
    await phone.getByText(/New link made\. The old link no longer works/).waitFor();
    const second = await link.inputValue();
    expect(second).to.not.equal(first);
    expect((await ctx.http.get(new URL(first).pathname)).status).to.equal(404);
    expect((await ctx.http.get(new URL(second).pathname)).status).to.equal(200);

    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const desk = await device('desktop');
    await stage.staffSignIn(desk, admin.email);
    await desk.goto('/app/settings/availabilities');
    await desk.getByLabel('Clinician').selectOption({ label: 'Dana Lee' });
    await desk.getByText(/See Dana Lee.s appointments/).waitFor();
    expect(
      await desk
        .getByLabel('Subscription link (Google Calendar, Outlook on the web)', { exact: true })
        .inputValue(),
    ).to.equal(second);
    await screenshot(desk, 'feed-admin-desktop');

    await phone.getByRole('button', { name: 'Turn off' }).click();
    await phone.getByRole('dialog', { name: 'Turn off the calendar feed?' }).waitFor();
    await phone.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
    await phone.getByText('Calendar feed turned off. The link no longer works.').waitFor();
    await phone.getByRole('button', { name: 'Create calendar link' }).waitFor();
    expect((await ctx.http.get(new URL(second).pathname)).status).to.equal(404);
    await screenshot(phone, 'feed-off-phone');
    expect(pageErrors).to.deep.equal([]);
  });
});
