import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rootDir } from '../../app/config';
import { ensureWebBuild } from '../../app/webBuild';
import { useApi } from '../api/context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';

const ARTIFACTS = path.join(rootDir, 'test', 'artifacts', 'web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('a staff session in Chromium: one sign-in for every tab and email link', function () {
  this.timeout(180_000);
  let browser: Browser;

  before(async function () {
    this.timeout(180_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
  });
  const ctx = useApi();

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
});
