import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../../app/clock';
import { unauthenticated } from '../errors';
import { bearerToken, type TokenService } from './tokens';
import { resumeSession, type SessionPolicy } from './sessions';

/** Requires a live staff session; sets res.locals.staff. */
export function requireStaff(deps: {
  db: Sequelize;
  clock: Clock;
  tokens: TokenService;
  sessions: SessionPolicy;
}): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
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

/** Requires a portal client token for the practice the route is about; sets res.locals.client. */
export function requireClient(deps: { tokens: TokenService }): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    const claims = token ? await deps.tokens.verify(token, 'client') : null;
    if (!claims) throw unauthenticated();
    res.locals.client = { id: claims.sub, practiceId: claims.pid };
    next();
  };
}

/** Reads a portal client token when one is sent (a new client sends none); a token that does not verify is 401. */
export function optionalClient(deps: { tokens: TokenService }): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) return next();
    const token = bearerToken(header);
    const claims = token ? await deps.tokens.verify(token, 'client') : null;
    if (!claims) throw unauthenticated();
    res.locals.client = { id: claims.sub, practiceId: claims.pid };
    next();
  };
}
