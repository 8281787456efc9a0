import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { rootDir } from '../../app/config';
import { ensureWebBuild } from '../../app/webBuild';
import { useApi } from '../api/context';
import { fixturePassword } from '../fixtures';
import { startCaptureServer, type CaptureServer } from './captureServer';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type DeviceKind = 'phone' | 'desktop';

/**
 * The browser tests' stage, registered in the calling describe: the capture server (the inbox), the app with its
 * worker (useApi, emails to the capture server), a fresh web build, and Chromium (Debian's, through playwright-core).
 * A test gets devices (a browser context each, like one person's phone or desktop), numbered screenshots under
 * test/artifacts/<folder>, and every page error of every device; when a test fails, what each device showed is
 * saved next to the screenshots.
 */
export function useBrowser(opts: { artifacts: string; env?: Record<string, string> }) {
  const artifacts = path.join(rootDir, 'test', 'artifacts', opts.artifacts);
  let capture: CaptureServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let shot = 0;

  // Registered before useApi's hooks, so the capture server's address is known when the app is configured.
  before(async function () {
    this.timeout(180_000);
    mkdirSync(artifacts, { recursive: true });
    capture = await startCaptureServer();
    // The API serves web/dist; a missing or stale build is rebuilt so the test never runs yesterday's app.
    await ensureWebBuild();
    // Each launch gets its own fresh temporary profile (user-data-dir) from Playwright.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close();
    await capture?.close();
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [i, c] of contexts.entries())
      for (const [j, p] of c.pages().entries())
        await p
          .screenshot({ path: path.join(artifacts, `failed-${i}-${j}.png`), fullPage: true })
          .catch(() => undefined);
  });
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture!.url, ...opts.env }),
  });

  return {
    ctx,
    get capture(): CaptureServer {
      return capture!;
    },
    get browser(): Browser {
      return browser!;
    },
    pageErrors,
    /** Where a screenshot of this name goes, for pages a test opens on contexts of its own. */
    artifact: (name: string) => path.join(artifacts, name),
    /** A browser context like one person's device, in a time zone of its own. */
    async device(kind: DeviceKind, timezoneId = 'America/New_York'): Promise<Page> {
      const context = await browser!.newContext({
        viewport: kind === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 860 },
        locale: 'en-US',
        timezoneId,
        // 127.0.0.1, where the API listens: "localhost" may resolve to ::1 first, where another process can sit.
        baseURL: ctx.stack.url.replace('//localhost:', '//127.0.0.1:'),
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
      return page;
    },
    /** A full-page screenshot, numbered in the order the story takes them. */
    async screenshot(page: Page, name: string): Promise<void> {
      shot += 1;
      await page.screenshot({
        path: path.join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      });
    },
    /** Nothing on the page is wider than the screen (a phone never scrolls sideways). */
    fitsWidth: (page: Page) =>
      page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>,
    /** Signs a staff user in through the sign-in page (fixtures' password unless given). */
    async staffSignIn(page: Page, email: string, password = fixturePassword): Promise<void> {
      await page.goto('/app');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Appointment Requests' }).waitFor();
    },
    /** Signs a client in to the portal with the code emailed to them (read at the capture server). */
    async portalSignIn(page: Page, slug: string, email: string): Promise<void> {
      await page.goto(`/portal/${slug}`);
      await page.getByRole('link', { name: "I'm an existing client" }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      const codeEmail = await capture!.waitFor(
        (e) => e.to.includes(email) && (e.idempotencyKey?.startsWith('sign-in-code/') ?? false),
        20_000,
      );
      await page.getByLabel('Sign-in code').fill(/\b(\d{6})\b/.exec(codeEmail.text ?? '')![1]);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    },
  };
}
