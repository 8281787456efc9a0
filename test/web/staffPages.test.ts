import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { aClient, aPractice, aService, aStaffUser, anAppointment } from '../fixtures';

describe('the staff pages in Chromium: sign-up, accepting an invitation, the Staff page', function () {
  this.timeout(240_000);
  const stage = useBrowser({ artifacts: 'web-staff', env: { SIGNUP_ENABLED: 'true' } });
  const { ctx, device, screenshot, pageErrors } = stage;
  /** The path and query of the accept link emailed to address. */
  async function linkTo(address: string): Promise<string> {
    const email = await stage.capture.waitFor((e) => e.to.includes(address), 60_000);
    return /(\/app\/accept-invitation\?token=[A-Za-z0-9_-]+)/.exec(email.text ?? '')![1];
  }

  it('signs a practice up on a phone, accepts the link, invites and revokes, and is told why an admin cannot step down', async () => {
    const phone = await device('phone');
    await phone.goto('/app');
    await phone.getByRole('link', { name: 'Create a practice' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Create a practice' }).waitFor();
    await phone.getByLabel('Practice name').fill('Willow Counseling');
    await phone.getByLabel('Time zone').selectOption('America/New_York');
    await phone.getByLabel('Your first name').fill('Ada');
    await phone.getByLabel('Your last name').fill('Lovelace');
    await phone.getByLabel('Your email').fill('ada@willow.example');
    await screenshot(phone, 'signup-phone');
    await phone.getByRole('button', { name: 'Create practice' }).click();
    await phone.getByText('Check your email').waitFor();

    await phone.goto(await linkTo('ada@willow.example'));
    await phone.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    await phone.getByLabel('Password', { exact: true }).fill('short');
    await phone.getByLabel('Repeat the password').fill('short');
    await phone.getByRole('button', { name: 'Accept and sign in' }).click();
    await phone.getByText('Choose a password of at least 10 characters.').waitFor();
    await screenshot(phone, 'accept-weak-password-phone');
    await phone.getByLabel('Password', { exact: true }).fill('willow admin password');
    await phone.getByLabel('Repeat the password').fill('willow admin password');
    await phone.getByRole('button', { name: 'Accept and sign in' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Appointment Requests' }).waitFor();

    await phone.getByRole('link', { name: 'Staff' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
    await phone.getByLabel('First name').fill('Sam');
    await phone.getByLabel('Last name').fill('Lee');
    await phone.getByLabel('Email').fill('sam@willow.example');
    await phone.getByLabel('Role', { exact: true }).selectOption('clinician');
    await phone.getByRole('button', { name: 'Send invitation' }).click();
    await phone.getByText('Invitation sent to sam@willow.example.').waitFor();
    // Read before the revoke: a revoked invitation that the worker had not sent yet is never sent at all.
    const samLink = await linkTo('sam@willow.example');
    await phone.getByRole('button', { name: 'Revoke the invitation for Sam Lee' }).waitFor();
    await screenshot(phone, 'staff-invited-phone');
    await phone.getByLabel('Email').fill('sam@willow.example');
    await phone.getByLabel('First name').fill('Sam');
    await phone.getByLabel('Last name').fill('Lee');
    await phone.getByRole('button', { name: 'Send invitation' }).click();
    await phone
      .getByText('Someone with this email already has a staff account or an open invitation.')
      .waitFor();
    await phone.getByRole('button', { name: 'Revoke the invitation for Sam Lee' }).click();
    await phone.getByText('No invitations are waiting.').waitFor();

    await phone.getByRole('button', { name: 'Deactivate Ada Lovelace' }).click();
    await phone
      .getByText(
        "Ada Lovelace is the practice's only active admin clinician. Make someone else an admin clinician first.",
      )
      .waitFor();
    await screenshot(phone, 'last-admin-refused-phone');

    // A revoked link says so in words.
    await phone.goto(samLink);
    await phone.getByLabel('Password', { exact: true }).fill('sam clinician password');
    await phone.getByLabel('Repeat the password').fill('sam clinician password');
    await phone.getByRole('button', { name: 'Accept and sign in' }).click();
    await phone.getByText(/withdrawn by the practice/).waitFor();
    await screenshot(phone, 'revoked-link-phone');
    expect(pageErrors).to.deep.equal([]);
  });

  it('on a desktop, a clinician with future appointments is not deactivated, and the page says what to do', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, {
      role: 'practice_manager',
      firstName: 'Pat',
      lastName: 'Manager',
    });
    await admin.update({ passwordHash: (await aStaffUser(ctx.db, practice)).passwordHash });
    const clinician = await aStaffUser(ctx.db, practice, {
      role: 'clinician',
      firstName: 'Dana',
      lastName: 'Whitfield',
    });
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service: await aService(ctx.db, practice),
      startsAt: new Date(ctx.clock.now().getTime() + 3 * 86_400_000),
    });
    const desk = await device('desktop');
    await desk.goto('/app');
    await desk.getByLabel('Email').fill(admin.email);
    await desk.getByLabel('Password').fill('correct horse battery');
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('link', { name: 'Staff' }).click();
    await desk.getByRole('button', { name: 'Deactivate Dana Whitfield' }).click();
    await desk
      .getByText(
        'Dana Whitfield still has 1 future appointment. To deactivate them, first move or cancel the appointments.',
      )
      .waitFor();
    await screenshot(desk, 'clinician-has-appointments-desktop');
    await desk.getByLabel('Role of Dana Whitfield', { exact: true }).selectOption('admin_clinician');
    await desk.getByRole('button', { name: 'Change the role of Dana Whitfield' }).click();
    await desk
      .getByRole('button', { name: 'Change the role of Dana Whitfield' })
      .and(desk.locator(':disabled'))
      .waitFor();
    // Disabled while the change is in flight too: done once the other button is usable again.
    await desk
      .getByRole('button', { name: 'Deactivate Dana Whitfield' })
      .and(desk.locator(':enabled'))
      .waitFor();
    await clinician.reload();
    expect(clinician.role).to.equal('admin_clinician');
    expect(pageErrors).to.deep.equal([]);
  });
});
