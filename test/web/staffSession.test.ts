import { expect } from 'chai';
import { useBrowser } from '../support/browser';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';

describe('staff sessions and password reset in Chromium', function () {
  this.timeout(180_000);
  const stage = useBrowser({ artifacts: 'web-session' });
  const { ctx } = stage;
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

  it('signs in once, opens a second tab and a "Review the request" link signed in, keeps the token from scripts, and signs out everywhere', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const context = await stage.browser.newContext({
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
      await fromEmail.screenshot({ path: stage.artifact('session-email-link.png'), fullPage: true });

      // The page shows the sign-in form at once; the server's answer (which clears the cookie) follows.
      const loggedOut = second.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
      await second.getByRole('button', { name: 'Sign out' }).click();
      await heading(second, 'Sign in').waitFor();
      expect((await loggedOut).status()).to.equal(204);
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
    const context = await stage.browser.newContext({
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
      await page.screenshot({ path: stage.artifact('reset-asked.png'), fullPage: true });

      const email = await stage.capture.waitFor((e) => e.to.includes(clinician.email), 30_000);
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
      await page.screenshot({ path: stage.artifact('reset-done.png'), fullPage: true });

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

  it("an admin edits their profile and a clinician's, then reads both changes in the audit log, at phone and desktop widths", async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, {
      role: 'admin_clinician',
      firstName: 'Ada',
      lastName: 'Park',
    });
    const clinician = await aStaffUser(ctx.db, practice, { firstName: 'Sam', lastName: 'Ortiz' });
    for (const [kind, viewport] of [
      ['phone', { width: 390, height: 844 }],
      ['desktop', { width: 1280, height: 860 }],
    ] as const) {
      const context = await stage.browser.newContext({
        viewport,
        baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto('/app/profile');
        await page.getByLabel('Email').fill(admin.email);
        await page.getByLabel('Password').fill(fixturePassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await heading(page, 'My profile').waitFor();
        const phone = `+1 555 01${kind === 'phone' ? '11' : '22'}`;
        await page.getByLabel('Phone for clients').fill(phone);
        await page.getByLabel('Photo address').fill('http://images.example.com/ada.jpg');
        await page.getByRole('button', { name: 'Save profile' }).click();
        await page.getByText('The photo address must be a full https:// address').waitFor();
        await page.getByLabel('Photo address').fill('');
        await page.getByRole('button', { name: 'Save profile' }).click();
        await page.getByText('Profile saved.').waitFor();

        await page.goto(`/app/staff/${clinician.id}/profile`);
        await heading(page, 'Profile of Sam Ortiz').waitFor();
        await page.getByLabel('Short bio').fill(`Grief and loss (${kind}).`);
        await page.getByRole('button', { name: 'Save profile' }).click();
        await page.getByText('Profile saved.').waitFor();

        await page.getByRole('link', { name: 'Audit log' }).click();
        await heading(page, 'Audit log').waitFor();
        await page.getByText(`Grief and loss (${kind}).`).waitFor();
        await page.getByText(phone).waitFor();
        // Whose profile each change was to, by name.
        await page.getByText('· Staff user: Sam Ortiz').first().waitFor();
        await page.getByText('· Staff user: Ada Park').first().waitFor();
        expect(await page.locator('.audit-entry').count()).to.be.greaterThan(1);
        // Both changes are the admin's (one to a colleague's profile); the colleague made none.
        await page.getByLabel('Person').selectOption({ label: 'Ada Park' });
        await page.getByText(`Grief and loss (${kind}).`).waitFor();
        const names = await page.locator('.audit-head strong').allInnerTexts();
        expect(new Set(names)).to.deep.equal(new Set(['Ada Park']));
        await page.screenshot({ path: stage.artifact(`audit-log-${kind}.png`), fullPage: true });
        await page.getByLabel('Person').selectOption({ label: 'Sam Ortiz' });
        await page.getByText('No changes match these filters.').waitFor();
        // No horizontal scrolling at phone width.
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        )) as number;
        expect(overflow).to.be.at.most(0);
      } finally {
        await context.close();
      }
    }
  });

  it('signs out after 30 minutes without activity in any tab, ending the session, but not while another tab is in use', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const context = await stage.browser.newContext({
      viewport: { width: 1280, height: 860 },
      baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
    });
    try {
      // The browser's own clock, moved by the test; the server's clock stays put, so only the dashboard's idle
      // sign-out can end this session.
      await context.clock.install();
      const first = await context.newPage();
      first.setDefaultTimeout(20_000);
      await first.goto('/app');
      await first.getByLabel('Email').fill(clinician.email);
      await first.getByLabel('Password').fill(fixturePassword);
      await first.getByRole('button', { name: 'Sign in' }).click();
      await heading(first, 'Appointment Requests').waitFor();
      const second = await context.newPage();
      await second.goto('/app/calendar');
      await heading(second, 'Calendar').waitFor();

      // 20 minutes idle, then someone types in the second tab; 20 more: the first tab was idle 40 minutes, but
      // the person was not, so neither tab signs out.
      await context.clock.runFor(20 * 60_000);
      await second.keyboard.press('Tab');
      await context.clock.runFor(20 * 60_000);
      expect(await first.getByLabel('Password').count()).to.equal(0);
      expect(await second.getByLabel('Password').count()).to.equal(0);

      // One jump for every tab: runFor would advance the tabs' clocks one after another, so one tab could end the
      // session while another still stood minutes earlier, which two tabs on one computer never do.
      await context.clock.fastForward(11 * 60_000);
      await first.getByText('You were signed out after 30 minutes without activity.').waitFor();
      const [{ revoked }] = await ctx.db.sequelize.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM staff_sessions WHERE user_id = :id',
        { replacements: { id: clinician.id }, type: QueryTypes.SELECT },
      );
      expect(revoked, 'the session ended on the server too').to.equal(true);
    } finally {
      await context.close();
    }
  });

  it('names idleness as the reason in a tab whose next call finds the session already ended by another tab', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const context = await stage.browser.newContext({
      viewport: { width: 390, height: 844 },
      baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
    });
    try {
      await context.clock.install();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/app');
      await page.getByLabel('Email').fill(clinician.email);
      await page.getByLabel('Password').fill(fixturePassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Appointment Requests').waitFor();

      // 31 idle minutes pass without any of this tab's timers running (as when another tab's idle check ran
      // first and ended the session), then the tab makes its next call: it meets a 401 before its own idle check.
      await context.clock.setSystemTime(Date.now() + 31 * 60_000);
      const ended = await context.request.post('/api/auth/logout', {
        headers: { 'x-requested-with': 'dashboard' },
      });
      expect(ended.status()).to.be.lessThan(300);
      // Moves to the calendar as the app's own links do, without a key or pointer event (which would count as use).
      await page.evaluate(
        "history.pushState(null, '', '/app/calendar'); window.dispatchEvent(new PopStateEvent('popstate'))",
      );
      await page.getByText('You were signed out after 30 minutes without activity.').waitFor();
      await page.getByLabel('Password').waitFor();
    } finally {
      await context.close();
    }
  });
});
