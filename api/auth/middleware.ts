import type { RequestHandler } from 'express';
import type { Clock } from '../../lib/clock';
import { unauthenticated } from '../errors';
import { bearerToken, type TokenService } from './tokens';
import { assertSameSiteRequest, sessionCookie } from './cookies';
import { clientTokenRevoked } from './revocations';
import { clientMayUsePortal } from '../../booking/clients';
import type { ClientPrincipal } from './principal';
import { resumeSession, type SessionPolicy } from './sessions';
import type { Store } from '../../models/store';

/**
 * Requires a live staff session, from a bearer token (API clients) or the dashboard's session cookie (which must
 * also pass the CSRF check before anything runs); sets res.locals.staff.
 */
export function requireStaff(deps: {
  db: Store;
  clock: Clock;
  tokens: TokenService;
  sessions: SessionPolicy;
  publicUrl: string;
}): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const token = header ? bearerToken(header) : sessionCookie(req);
    if (!header && token) assertSameSiteRequest(req, deps.publicUrl);
    const claims = token ? await deps.tokens.verify(token, 'staff') : null;
    if (!claims) throw unauthenticated();
    const session = await resumeSession(deps.db, deps.clock, deps.sessions, claims.sid, claims.sub);
    if (!session) throw unauthenticated('Your session has ended. Sign in again.');
    res.locals.staff = {
      id: claims.sub,
      practiceId: session.practiceId,
      role: session.role,
      sessionId: claims.sid,
    };
    next();
  };
}

/** The client a bearer token stands for: null when it is malformed, forged, expired or signed out. */
async function clientFromToken(
  deps: { tokens: TokenService; db: Store },
  token: string | null,
): Promise<ClientPrincipal | null> {
  const claims = token ? await deps.tokens.verify(token, 'client') : null;
  if (!claims || (await clientTokenRevoked(deps.db, claims.jti))) return null;
  // Archiving a client ends their portal access at once, tokens already handed out included.
  if (!(await clientMayUsePortal(deps.db, claims.sub))) return null;
  return {
    id: claims.sub,
    practiceId: claims.pid,
    tokenId: claims.jti,
    tokenExpiresAt: new Date(claims.exp * 1000),
  };
}

/** Requires a portal client token (not signed out) for the practice the route is about; sets res.locals.client. */
export function requireClient(deps: { tokens: TokenService; db: Store }): RequestHandler {
  return async (req, res, next) => {
    const client = await clientFromToken(deps, bearerToken(req.get('authorization')));
    if (!client) throw unauthenticated();
    res.locals.client = client;
    next();
  };
}

/** Reads a portal client token when one is sent (a new client sends none); a token that does not verify is 401. */
export function optionalClient(deps: { tokens: TokenService; db: Store }): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) return next();
    const client = await clientFromToken(deps, bearerToken(header));
    if (!client) throw unauthenticated();
    res.locals.client = client;
    next();
  };
}
