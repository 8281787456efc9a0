import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rootDir } from '../../app/config';
import { ensureWebBuild } from '../../app/webBuild';
import { useApi } from '../api/context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';

const ARTIFACTS = path.join(rootDir, 'test', 'artifacts', 'web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('staff sessions and password reset in Chromium', function () {
  this.timeout(180_000);
  let browser: Browser;
  let capture: CaptureServer;

  before(async function () {
    this.timeout(180_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    capture = await startCaptureServer();
    await ensureWebBuild();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await capture?.close();
  });
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

  it('signs in once, opens a second tab and a "Review the request" link signed in, keeps the token from scripts, and signs out everywhere', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
    });
    try {
      const first = await context.newPage();
      first.setDefaultTimeout(20_000);
      await first.goto('/app');
      await first.getByLabel('Email').fill(clinician.email);
      await first.getByLabel('Password').fill(fixturePassword);
      await first.getByRole('button', { name: 'Sign in' }).click();
      await heading(first, 'Appointment Requests').waitFor();

      // No script on the page can read the session: not in document.cookie, not in any storage.
      // A string, evaluated in the page: the test's own TypeScript has no DOM.
      const readable = (await first.evaluate(
        `({ cookie: document.cookie, session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) })`,
      )) as { cookie: string; session: string; local: string };
      const [cookie] = await context.cookies();
      expect(cookie).to.include({ name: 'staff_session', httpOnly: true, sameSite: 'Lax' });
      expect(readable.cookie).to.equal('');
      expect(readable.session).to.not.include(cookie.value);
      expect(readable.local).to.not.include(cookie.value);

      const second = await context.newPage();
      await second.goto('/app/calendar');
      await heading(second, 'Calendar').waitFor({ timeout: 20_000 });
      expect(await second.getByLabel('Password').count()).to.equal(0);

      // What the new-request email links to (activities/requests.ts), opened as a fresh top-level navigation.
      const fromEmail = await context.newPage();
      await fromEmail.goto('/app/requests', { referer: 'https://mail.example/inbox' });
      await heading(fromEmail, 'Appointment Requests').waitFor({ timeout: 20_000 });
      await fromEmail.screenshot({ path: path.join(ARTIFACTS, 'session-email-link.png'), fullPage: true });

      await second.getByRole('button', { name: 'Sign out' }).click();
      await heading(second, 'Sign in').waitFor();
      expect(await context.cookies()).to.deep.equal([]);
      await first.reload();
      await first.getByLabel('Password').waitFor({ timeout: 20_000 });
    } finally {
      await context.close();
    }
  });

  it('resets a forgotten password from the sign-in page through the emailed link, at phone width', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const clinician = await aStaffUser(ctx.db, practice);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/app');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await heading(page, 'Reset your password').waitFor();
      await page.getByLabel('Email').fill(clinician.email);
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByText('Check your email').waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'reset-asked.png'), fullPage: true });

      const email = await capture.waitFor((e) => e.to.includes(clinician.email), 30_000);
      const link = /http:\/\/portal\.test(\/app\/reset-password\?token=\S+)/.exec(email.text ?? '');
      expect(link, email.text).to.not.equal(null);
      await page.goto(link?.[1] ?? '');
      await heading(page, 'Choose a new password').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('long enough one');
      await page.getByLabel('New password again').fill('a different one');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('The two passwords are not the same.').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('river stones at dawn');
      await page.getByLabel('New password again').fill('river stones at dawn');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('Your password is changed').waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'reset-done.png'), fullPage: true });

      // The link worked once: opened again, it says so in a sentence.
      await page.goto(link?.[1] ?? '');
      await page.getByLabel('New password', { exact: true }).fill('another passphrase');
      await page.getByLabel('New password again').fill('another passphrase');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('This link has already been used').waitFor();

      await page.getByRole('link', { name: 'Ask for a new link' }).click();
      await page.getByRole('link', { name: 'Back to sign in' }).click();
      await page.getByLabel('Email').fill(clinician.email);
      await page.getByLabel('Password').fill('river stones at dawn');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Appointment Requests').waitFor();
    } finally {
      await context.close();
    }
  });
});
