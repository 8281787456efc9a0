import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { reminderOptOutUrl } from '../../booking/reminderOptOut';
import { aClient, aPractice, aStaffUser } from '../fixtures';

describe('reminder opt-out in Chromium: the link stops reminders in one click, the portal turns them back on (phone)', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-reminder-opt-out' });
  const { ctx, device, screenshot, fitsWidth, staffSignIn, pageErrors } = stage;

  it('a client opens the link, stops reminders, signs in and turns them back on; staff see the choice read-only', async () => {
    const practice = await aPractice(ctx.db, { name: 'Riverside Therapy' });
    const client = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Reyes' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    // The link a reminder email carries (the email itself arrives with the reminders branch), built the same way.
    const link = new URL(
      reminderOptOutUrl(oneTimeCodes(ctx.stack.config.authSecret!), {
        publicUrl: ctx.stack.url,
        slug: practice.slug,
        clientId: client.id,
      }),
    );

    const phone = await device('phone');
    await phone.goto(`${link.pathname}${link.search}`);
    await phone.getByRole('heading', { level: 1, name: 'Reminder emails' }).waitFor();
    // Opening the page is what a link scanner does too: nothing is changed before the button.
    expect((await ctx.db.Client.findByPk(client.id))!.remindersOptedOutAt).to.equal(null);
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'opt-out-page');
    // By keyboard: the button is reachable and pressed with Enter.
    await phone.getByRole('button', { name: 'Stop reminder emails' }).focus();
    await phone.keyboard.press('Enter');
    await phone
      .getByText('You will no longer get appointment reminder emails from Riverside Therapy.')
      .waitFor();
    expect((await ctx.db.Client.findByPk(client.id))!.remindersOptedOutAt).to.not.equal(null);
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'opted-out');

    // A forged link says so, in a sentence, and changes nothing for anyone.
    const forged = await device('phone');
    await forged.goto(
      `/portal/${practice.slug}/reminders/opt-out?client=${client.id}&token=${'A'.repeat(43)}`,
    );
    await forged.getByRole('button', { name: 'Stop reminder emails' }).click();
    await forged.getByText(/This link to stop reminder emails is not valid/).waitFor();
    await screenshot(forged, 'forged-link');

    // With the portal off the email's link still works; turning reminders back on waits for the portal.
    const closed = await aPractice(ctx.db, { name: 'Hillside Counseling', portalEnabled: false });
    const closedClient = await aClient(ctx.db, closed);
    const closedLink = new URL(
      reminderOptOutUrl(oneTimeCodes(ctx.stack.config.authSecret!), {
        publicUrl: ctx.stack.url,
        slug: closed.slug,
        clientId: closedClient.id,
      }),
    );
    await forged.goto(`${closedLink.pathname}${closedLink.search}`);
    await forged.getByRole('button', { name: 'Stop reminder emails' }).click();
    await forged
      .getByText('You will no longer get appointment reminder emails from your practice.')
      .waitFor();
    await forged.getByText(/Only you can turn them back on, with “Email me reminders”/).waitFor();
    expect((await ctx.db.Client.findByPk(closedClient.id))!.remindersOptedOutAt).to.not.equal(null);
    await screenshot(forged, 'portal-off');

    // Back on: the page's own sign-in link, the emailed code, then the switch on My appointments.
    await phone.getByRole('link', { name: 'sign in to the client portal' }).click();
    await phone.getByLabel('Email').fill(client.email);
    await phone.getByRole('button', { name: 'Email me a code' }).click();
    const codeEmail = await stage.capture.waitFor(
      (e) => e.to.includes(client.email) && (e.idempotencyKey?.startsWith('sign-in-code/') ?? false),
      20_000,
    );
    await phone.getByLabel('Sign-in code').fill(/\b(\d{6})\b/.exec(codeEmail.text ?? '')![1]);
    await phone.getByRole('button', { name: 'Sign in', exact: true }).click();
    await phone.getByRole('heading', { level: 1, name: 'Hello, Robin' }).waitFor();
    const toggle = phone.getByLabel('Email me reminders');
    await toggle.waitFor();
    expect(await toggle.isChecked()).to.equal(false);
    await toggle.focus();
    await phone.keyboard.press('Space');
    await phone.getByText('Reminder emails are on. You will get one before each appointment.').waitFor();
    expect(await toggle.isChecked()).to.equal(true);
    expect((await ctx.db.Client.findByPk(client.id))!.remindersOptedOutAt).to.equal(null);
    expect(await fitsWidth(phone)).to.equal(true);
    await screenshot(phone, 'back-on');

    // Off again from the portal, then staff see it on the profile, with no way to change it.
    await toggle.click();
    await phone.getByText('Reminder emails are off.').waitFor();
    const desk = await device('desktop');
    await staffSignIn(desk, manager.email);
    await desk.goto(`/app/clients/${client.id}`);
    await desk.getByRole('heading', { level: 1, name: 'Robin Reyes' }).waitFor();
    await desk.getByText(/^Off since .*the client's own choice/).waitFor();
    expect(await desk.getByLabel('Email me reminders').count()).to.equal(0);
    await screenshot(desk, 'staff-profile');
    expect(pageErrors).to.deep.equal([]);
  });
});
