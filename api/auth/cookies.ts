import type { Request, Response } from 'express';
import { forbidden } from '../errors';

/*
 * The dashboard's session rides in an HttpOnly cookie so every tab and every link from an email finds it, and no
 * page script can read it (sessionStorage was per tab and readable by any script on the page).
 *
 * CSRF: a cookie is sent by the browser whoever asks, so a request that changes something and is authenticated by
 * the cookie must also prove it comes from the dashboard's own pages:
 * - it carries the X-Requested-With header (CSRF_HEADER). A page on another origin cannot add a custom header
 *   without a CORS preflight, and our CORS policy never allows that header nor credentials, so the forged request
 *   is never sent;
 * - when the browser names an Origin (every fetch that is not a GET does), it must be this site's own. That also
 *   shuts out a sibling subdomain, which SameSite (same *site*) would let through.
 * SameSite=Lax is a third layer for browsers that honour it; Lax rather than Strict so a link in an email, a
 * top-level navigation from another site, opens the dashboard signed in.
 * Chosen over a double-submit token: no token for scripts to read or for us to store and rotate, and nothing a
 * cookie-tossing sibling subdomain could plant. Bearer requests need none of this: a browser never adds an
 * Authorization header by itself.
 */
export const SESSION_COOKIE = 'staff_session';
export const CSRF_HEADER = 'X-Requested-With';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Secure whenever the request came over https (behind a trusted proxy too) and always in production. */
const secure = (req: Request, production: boolean) => production || req.secure;

/**
 * Sets the session cookie for the session's remaining lifetime. As a Max-Age, not an instant: the browser's clock
 * need not agree with ours; the server enforces the absolute lifetime either way.
 */
export function setSessionCookie(
  req: Request,
  res: Response,
  token: string,
  lifetimeMs: number,
  production: boolean,
): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secure(req, production),
    sameSite: 'lax',
    path: '/',
    maxAge: lifetimeMs,
  });
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(req: Request, res: Response, production: boolean): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    secure: secure(req, production),
    sameSite: 'lax',
    path: '/',
  });
}

/** The session cookie's value, or null. */
export function sessionCookie(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim()) || null;
    } catch {
      return null;
    }
  }
  return null;
}

/** This site's origins: the public URL's, and the one the request itself was addressed to. */
function ownOrigins(req: Request, publicUrl: string): string[] {
  return [new URL(publicUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`];
}

/** Refuses (403) a state-changing request authenticated by the cookie unless it proves it comes from our pages. */
export function assertSameSiteRequest(req: Request, publicUrl: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.get('origin');
  if (!req.get(CSRF_HEADER) || (origin && !ownOrigins(req, publicUrl).includes(origin)))
    throw forbidden('This request did not come from the dashboard. Reload the page and try again.', 'CSRF');
}
