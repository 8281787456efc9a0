import type { Request, Response } from 'express';
import type { Clock } from '../../lib/clock';
import type { StaffUser } from '../../models/staffUser';
import type { Store } from '../../models/store';
import { toStaffUser } from '../../booking/views';
import type { TokenService } from './tokens';
import { openSession, type SessionPolicy } from './sessions';
import { CSRF_HEADER, assertSameSiteRequest, setSessionCookie } from './cookies';

type SessionDeps = { db: Store; clock: Clock; tokens: TokenService; sessions: SessionPolicy };

/** Opens a session for a staff user who has just proven who they are, and signs its token. */
export async function openStaffSession(deps: SessionDeps, user: StaffUser) {
  const session = await openSession(deps.db, deps.clock, deps.sessions, user.id);
  const token = await deps.tokens.sign(
    { typ: 'staff', sub: user.id, sid: session.id, pid: user.practiceId },
    session.expiresAt,
  );
  return { session, token };
}

/**
 * Signs in a staff user who has just proven who they are some other way than a password (an accepted invitation):
 * one place, so every way in gives the same session. The dashboard (its requests carry the CSRF header) gets the
 * session as its HttpOnly cookie and an answer without the token, as POST /api/auth/session gives; an API client
 * gets the bearer token, as POST /api/auth/login gives.
 */
export async function answerSignedIn(
  deps: SessionDeps & { publicUrl: string; production: boolean },
  req: Request,
  res: Response,
  user: StaffUser,
): Promise<void> {
  const fromDashboard = req.get(CSRF_HEADER) !== undefined;
  // Checked before the session opens: another site must not sign a browser into an account of its choosing.
  if (fromDashboard) assertSameSiteRequest(req, deps.publicUrl);
  const { session, token } = await openStaffSession(deps, user);
  const answer = {
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutMinutes: deps.sessions.idleMinutes,
    user: toStaffUser(user),
  };
  if (!fromDashboard) {
    res.json({ token, ...answer });
    return;
  }
  setSessionCookie(
    req,
    res,
    token,
    session.expiresAt.getTime() - deps.clock.now().getTime(),
    deps.production,
  );
  res.json(answer);
}
