import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser';
import type { CapturedEmail } from '../support/captureServer';

// The server's clock is Monday 1 June 2026, 12:00 UTC (useApi); the browsers keep their own, so the pages are moved
// to the week of 8 June through their own "Go to the week of" fields, and the availability starts on 1 June.
const WEEK = '2026-06-08';

/**
 * Issue 13's whole story, with nothing in the database but the schema: a practice signs up on the web, its admin
 * sets it up and invites a clinician, the clinician sets their hours on a phone, a long-standing client added by
 * hand is invited to the portal, signs in with the emailed code and requests, and the clinician approves. Every
 * step goes through the pages people use; only the emails are read from the capture server, as from an inbox.
 */
describe('a practice from nothing, in Chromium: sign-up, staff, availability, a client invited by hand, a request approved', function () {
  this.timeout(300_000);
  const stage = useBrowser({ artifacts: 'web-practice', env: { SIGNUP_ENABLED: 'true' } });
  const { ctx, device, screenshot, fitsWidth, pageErrors } = stage;
  const emailTo = (address: string, keyPrefix: string): Promise<CapturedEmail> =>
    stage.capture.waitFor(
      (e) => e.to.includes(address) && (e.idempotencyKey?.startsWith(keyPrefix) ?? false),
      60_000,
    );
  /** The path and query of the first link to this app in an email's text. */
  const linkIn = (email: CapturedEmail, pattern: RegExp) => {
    const match = pattern.exec(email.text ?? '');
    expect(match, email.text).to.not.equal(null);
    return match![1];
  };
  async function acceptInvitation(page: Page, address: string, password: string) {
    const invitation = await emailTo(address, 'staff-invitation');
    await page.goto(linkIn(invitation, /(\/app\/accept-invitation\?token=[A-Za-z0-9_-]+)/));
    await page.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await page.getByRole('button', { name: 'Accept and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Appointment Requests' }).waitFor();
  }

  it('signs up, invites a clinician who sets availability, adds and invites a client who requests, and approves', async () => {
    expect(await ctx.db.Practice.count(), 'an empty database').to.equal(0);
    expect(await ctx.db.StaffUser.count()).to.equal(0);

    // The practice owner signs up from the sign-in page on a desktop.
    const admin = await device('desktop');
    await admin.goto('/app');
    await admin.getByRole('link', { name: 'Create a practice' }).click();
    await admin.getByLabel('Practice name').fill('Harbor Counseling');
    await admin.getByLabel('Time zone').selectOption('America/New_York');
    await admin.getByLabel('Your first name').fill('Ada');
    await admin.getByLabel('Your last name').fill('Lovelace');
    await admin.getByLabel('Your email').fill('ada@harbor.example');
    await screenshot(admin, 'signup');
    await admin.getByRole('button', { name: 'Create practice' }).click();
    await admin.getByText('Check your email').waitFor();
    const practice = (await ctx.db.Practice.findOne())!;
    expect(practice).to.include({ name: 'Harbor Counseling', portalEnabled: false });
    expect(await ctx.db.StaffUser.count(), 'nothing usable before the link is followed').to.equal(0);
    expect((await ctx.http.get(`/portal/${practice.slug}`)).status).to.equal(404);
    await acceptInvitation(admin, 'ada@harbor.example', 'harbor admin passphrase');
    await screenshot(admin, 'admin-signed-in');

    // Settings > Practice: the phone number clients are told to call, and the services.
    await admin.getByRole('link', { name: 'Settings › Practice' }).click();
    await admin.getByLabel('Phone number').fill('+1 555 0100');
    await admin.getByRole('button', { name: 'Save details' }).click();
    await admin.getByText('Practice details saved.').waitFor();
    await admin.getByText('No services yet.').waitFor();
    await admin.getByRole('button', { name: 'Add a service' }).click();
    const serviceDialog = admin.getByRole('dialog', { name: 'Add a service' });
    await serviceDialog.getByLabel('Service name').fill('Individual therapy');
    await serviceDialog.getByLabel('Duration in minutes').fill('50');
    await serviceDialog.getByRole('button', { name: 'Save service' }).click();
    await admin.getByText('50 minutes · bookable online').waitFor();
    await screenshot(admin, 'practice-settings');

    // Settings > Client Portal: on.
    await admin.getByRole('link', { name: 'Settings › Client Portal' }).click();
    await admin.getByLabel('Enable client portal and online booking').check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Settings saved.').waitFor();

    // Staff: a clinician is invited.
    await admin.getByRole('link', { name: 'Staff', exact: true }).click();
    await admin.getByLabel('First name').fill('Dana');
    await admin.getByLabel('Last name').fill('Whitfield');
    await admin.getByLabel('Email').fill('dana@harbor.example');
    await admin.getByLabel('Role', { exact: true }).selectOption('clinician');
    await admin.getByRole('button', { name: 'Send invitation' }).click();
    await admin.getByText('Invitation sent to dana@harbor.example.').waitFor();
    await screenshot(admin, 'staff-invited');

    // The clinician accepts on a phone and sets weekday hours from 1 June.
    const clinician = await device('phone');
    await acceptInvitation(clinician, 'dana@harbor.example', 'dana clinician passphrase');
    await clinician.getByRole('link', { name: 'Settings › Availabilities' }).click();
    await clinician.getByRole('button', { name: 'Add availability' }).click();
    const ruleDialog = clinician.getByRole('dialog', { name: 'Add availability' });
    await ruleDialog.getByLabel('Starts on').fill('2026-06-01');
    await ruleDialog.getByLabel('Time zone').selectOption('America/New_York');
    await screenshot(clinician, 'clinician-availability-dialog');
    await ruleDialog.getByRole('button', { name: 'Save' }).click();
    await clinician.locator('li.rule', { hasText: '9:00 AM - 5:00 PM' }).waitFor();
    expect(await fitsWidth(clinician)).to.equal(true);
    await screenshot(clinician, 'clinician-availability');

    // The admin adds a long-standing client by hand, with a portal invitation.
    await admin.getByRole('link', { name: 'Clients' }).click();
    await admin.getByRole('button', { name: 'Add client' }).click();
    const clientDialog = admin.getByRole('dialog', { name: 'Add a client' });
    await clientDialog.getByLabel('First name').fill('Robin');
    await clientDialog.getByLabel('Last name').fill('Reyes');
    await clientDialog.getByLabel('Email', { exact: true }).fill('robin.reyes@example.test');
    await clientDialog.getByLabel('Phone').fill('+1 555 0123');
    expect(
      await clientDialog.getByLabel('Email them an invitation to the client portal').isChecked(),
    ).to.equal(true);
    await clientDialog.getByRole('button', { name: 'Add client' }).click();
    await admin.getByRole('link', { name: 'Robin Reyes' }).waitFor();
    await screenshot(admin, 'client-added');

    // The client follows the invitation on a phone and signs in with the emailed code.
    const client = await device('phone');
    const invitation = await emailTo('robin.reyes@example.test', 'portal-invitation');
    await client.goto(linkIn(invitation, /https?:\/\/[^/\s]+(\/portal\/[a-z0-9-]+\/sign-in)/));
    await client.getByLabel('Email').fill('robin.reyes@example.test');
    await client.getByRole('button', { name: 'Email me a code' }).click();
    const code = /\b(\d{6})\b/.exec(
      (await emailTo('robin.reyes@example.test', 'sign-in-code/')).text ?? '',
    )![1];
    await client.getByLabel('Sign-in code').fill(code);
    await client.getByRole('button', { name: 'Sign in', exact: true }).click();
    await client.getByRole('heading', { level: 1, name: 'Hello, Robin' }).waitFor();
    await screenshot(client, 'client-signed-in');

    // Request Appointment: Dana, Individual therapy, Monday 8 June at 9:00.
    await client.getByRole('link', { name: 'Request Appointment' }).click();
    await client.getByLabel('Clinician').selectOption({ label: 'Dana Whitfield' });
    await client.getByLabel('Go to the week of').fill(WEEK);
    const monday = client.getByRole('group', { name: 'Monday, June 8' });
    await monday.getByRole('button').first().waitFor();
    await screenshot(client, 'client-slots');
    await monday.getByRole('button', { name: /9:00\sAM/ }).click();
    await client.getByLabel('Message to the clinician').fill('Glad to be back.');
    await client.getByRole('button', { name: 'Send request' }).click();
    await client.getByRole('heading', { level: 1, name: 'Request sent' }).waitFor();
    expect(await fitsWidth(client)).to.equal(true);
    await screenshot(client, 'client-request-sent');

    // The clinician approves from the phone; the client gets the confirmation with its invite.
    await clinician.getByRole('link', { name: 'Appointment Requests' }).click();
    const card = clinician.locator('li.card', { hasText: 'Robin Reyes' });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: 'Actions: request from Robin Reyes' }).click();
    await clinician.getByRole('menuitem', { name: 'Approve' }).click();
    await card.getByText(/^Approved\./).waitFor({ timeout: 30_000 });
    await screenshot(clinician, 'clinician-approved');
    const confirmation = await emailTo('robin.reyes@example.test', 'request-approved');
    expect(confirmation.attachments?.map((a) => a.filename)).to.include('invite.ics');
    const appointment = (await ctx.db.Appointment.findOne({ where: { practiceId: practice.id } }))!;
    expect(appointment.status).to.equal('scheduled');
    expect(appointment.startsAt.toISOString()).to.equal('2026-06-08T13:00:00.000Z');
    const robin = (await ctx.db.Client.findOne({ where: { practiceId: practice.id } }))!;
    expect(appointment.clientId, 'the client added by hand, not a new one').to.equal(robin.id);
    expect(await ctx.db.Client.count({ where: { practiceId: practice.id } })).to.equal(1);

    // Every change by the admin is in the audit log, readable in the dashboard.
    await admin.getByRole('link', { name: 'Audit log' }).click();
    await admin.getByText('Robin Reyes').first().waitFor();
    for (const said of [
      'Invited a client to the portal',
      'Added a client',
      'Invited a staff member',
      'Added a service',
    ])
      await admin.getByText(said).first().waitFor();
    await screenshot(admin, 'audit-log');

    expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
  });
});
