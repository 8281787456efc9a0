import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request } from 'express';

/** Where `npm run web:build` writes the browser app. */
export const webDist = fileURLToPath(new URL('../web/dist', import.meta.url));

// The SPA's own fetches ask for JSON; only real page loads get the HTML shell.
const wantsHtml = (req: Request) => req.accepts(['application/json', 'text/html']) === 'text/html';

// Everything the app loads is its own (hashed assets, no CDN, no inline script): anything else is refused. The one
// exception is pictures over https: clinicians' photos (api/staffProfile.ts accepts https addresses only) live
// wherever the practice keeps them; an image runs no script, and helmet's no-referrer keeps page addresses private.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const LANDING_STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}',
  'main{max-width:40rem;margin:0 auto;padding:2.5rem 1.25rem}',
  'h1{font-size:1.6rem;margin:0 0 1.5rem}',
  'section{background:#fff;border:1px solid #dde1e8;border-radius:10px;padding:1.25rem;margin:0 0 1rem}',
  'h2{font-size:1.1rem;margin:0 0 .5rem}p{margin:.25rem 0 .75rem}code{word-break:break-all}',
  'a.button{display:inline-block;background:#2457c5;color:#fff;padding:.6rem 1rem;border-radius:8px;',
  'text-decoration:none;font-weight:600}a.button:focus-visible{outline:3px solid #f2b705}',
  'footer{color:#5b6475;font-size:.9rem;margin-top:1.5rem}',
].join('');
// The page's only style, allowed by its hash: no inline script or style is allowed anywhere else.
const LANDING_CSP = CSP.replace(
  "style-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(LANDING_STYLE).digest('base64')}'`,
);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page at `/`: where a client and where the practice's staff go, since neither starts at the API root. */
function landingPage(opts: { publicUrl: string; demoPortal: boolean }): string {
  const example = escapeHtml(`${opts.publicUrl}/portal/your-practice`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Practice booking</title><link rel="icon" href="data:,"><style>${LANDING_STYLE}</style></head>
<body><main>
<h1>Practice booking</h1>
<section><h2>Booking an appointment?</h2>
<p>Each practice has its own booking page, such as <code>${example}</code>. Use the link on your practice's
website or in its emails.</p>${
    opts.demoPortal
      ? `\n<p><a class="button" href="/portal/demo">Open the demo practice's booking page</a></p>`
      : ''
  }</section>
<section><h2>Working at a practice?</h2>
<p>Approve requests, manage your calendar and your practice's settings.</p>
<p><a class="button" href="/app">Sign in to the dashboard</a></p></section>
<footer>Developers: <a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a></footer>
</main></body></html>
`;
}

/**
 * The browser app: its hashed assets, and index.html for page loads of /portal/... and /app... whose Accept
 * header prefers HTML. JSON requests to the same paths fall through to the API routes.
 */
export function webRouter(opts: { publicUrl: string; demoPortal: boolean }, dist: string = webDist): Router {
  const router = Router();
  const index = path.join(dist, 'index.html');
  const landing = landingPage(opts);
  router.get('/', (req, res) => {
    res.set('Vary', 'Accept');
    if (!wantsHtml(req)) {
      res.json({ dashboard: '/app', portal: '/portal/{slug}', docs: '/docs', openapi: '/openapi.json' });
      return;
    }
    res
      .set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': LANDING_CSP })
      .type('html')
      .send(landing);
  });
  router.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  router.get(['/app', '/app/*rest', '/portal/*rest'], (req, res, next) => {
    if (!wantsHtml(req)) return next();
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'The browser app is not built yet: run `npm run web:build` (npm start builds it when missing).',
        );
      return;
    }
    res.set({
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CSP,
      // Vary so a cache never answers a JSON request with the HTML shell or the other way round.
      Vary: 'Accept',
    });
    res.sendFile(index);
  });
  return router;
}
