import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request } from 'express';

/** Where `npm run web:build` writes the browser app. */
export const webDist = fileURLToPath(new URL('../web/dist', import.meta.url));

// The SPA's own fetches ask for JSON; only real page loads get the HTML shell.
const wantsHtml = (req: Request) => req.accepts(['application/json', 'text/html']) === 'text/html';

// Everything the app loads is its own (hashed assets, no CDN, no inline script): anything else is refused.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The browser app: its hashed assets, and index.html for page loads of /portal/... and /app... whose Accept
 * header prefers HTML. JSON requests to the same paths fall through to the API routes.
 */
export function webRouter(dist: string = webDist): Router {
  const router = Router();
  const index = path.join(dist, 'index.html');
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
