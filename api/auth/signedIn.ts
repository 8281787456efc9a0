import type { Response } from 'express';
import type { Clock } from '../../lib/clock';
import type { StaffUser } from '../../models/staffUser';
import type { Store } from '../../models/store';
import { toStaffUser } from '../../booking/views';
import type { TokenService } from './tokens';
import { openSession, type SessionPolicy } from './sessions';

/**
 * Opens a session for a staff user who has just proven who they are (a password at sign-in, or an accepted
 * invitation) and answers with it: one place, so every way in gives the same answer and the same session.
 */
export async function answerSignedIn(
  deps: { db: Store; clock: Clock; tokens: TokenService; sessions: SessionPolicy },
  res: Response,
  user: StaffUser,
): Promise<void> {
  const session = await openSession(deps.db, deps.clock, deps.sessions, user.id);
  const token = await deps.tokens.sign(
    { typ: 'staff', sub: user.id, sid: session.id, pid: user.practiceId },
    session.expiresAt,
  );
  res.json({
    token,
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutMinutes: deps.sessions.idleMinutes,
    user: toStaffUser(user),
  });
}
