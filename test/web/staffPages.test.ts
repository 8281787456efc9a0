import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { rootDir } from '../../app/config';
import { ensureWebBuild } from '../../app/webBuild';
import { useApi } from '../api/context';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { aClient, aPractice, aService, aStaffUser, anAppointment } from '../fixtures';

const ARTIFACTS = path.join(rootDir, 'test', 'artifacts', 'web-staff');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the staff pages in Chromium: sign-up, accepting an invitation, the Staff page', function () {
  this.timeout(240_000);
  let capture: CaptureServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(180_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    capture = await startCaptureServer();
    await ensureWebBuild();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await capture?.close();
  });
  const ctx = useApi({
    worker: true,
    env: () => ({ SIGNUP_ENABLED: 'true', RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  async function device(kind: 'phone' | 'desktop'): Promise<Page> {
    const context = await browser.newContext({
      viewport: kind === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 860 },
      locale: 'en-US',
      timezoneId: 'America/New_York',
      baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }
  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  /** The path and query of the accept link emailed to address. */
  async function linkTo(address: string): Promise<string> {
    const email = await capture.waitFor((e) => e.to.includes(address), 60_000);
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
    await screenshot(phone, '01-signup-phone');
    await phone.getByRole('button', { name: 'Create practice' }).click();
    await phone.getByText('Check your email').waitFor();

    await phone.goto(await linkTo('ada@willow.example'));
    await phone.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    await phone.getByLabel('Password', { exact: true }).fill('short');
    await phone.getByLabel('Repeat the password').fill('short');
    await phone.getByRole('button', { name: 'Accept and sign in' }).click();
    await phone.getByText('Choose a password of at least 10 characters.').waitFor();
    await screenshot(phone, '02-accept-weak-password-phone');
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
    await screenshot(phone, '03-staff-invited-phone');
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
    await screenshot(phone, '04-last-admin-refused-phone');

    // A revoked link says so in words.
    await phone.goto(samLink);
    await phone.getByLabel('Password', { exact: true }).fill('sam clinician password');
    await phone.getByLabel('Repeat the password').fill('sam clinician password');
    await phone.getByRole('button', { name: 'Accept and sign in' }).click();
    await phone.getByText(/withdrawn by the practice/).waitFor();
    await screenshot(phone, '05-revoked-link-phone');
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
    await screenshot(desk, '06-clinician-has-appointments-desktop');
    await desk.getByLabel('Role of Dana Whitfield', { exact: true }).selectOption('admin_clinician');
    await desk.getByRole('button', { name: 'Change the role of Dana Whitfield' }).click();
    await desk
      .getByRole('button', { name: 'Change the role of Dana Whitfield' })
      .and(desk.locator(':disabled'))
      .waitFor();
    await clinician.reload();
    expect(clinician.role).to.equal('admin_clinician');
    expect(pageErrors).to.deep.equal([]);
  });
});
