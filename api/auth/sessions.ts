import { QueryTypes } from 'sequelize';
import type { Clock } from '../../lib/clock';
import type { StaffRole } from '../../models/staffUser';
import type { Store } from '../../models/store';

/** Session lifetimes: idle timeout and absolute lifetime. */
export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

// last_seen_at is written at most this often, so busy dashboards don't write on every request.
const TOUCH_AFTER_MS = 30_000;

/** Creates a session row; returns its id and absolute expiry. */
export async function openSession(
  db: Store,
  clock: Clock,
  policy: SessionPolicy,
  userId: string,
): Promise<{ id: string; expiresAt: Date }> {
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + policy.maxHours * 3_600_000);
  const [row] = await db.sequelize.query<{ id: string }>(
    `INSERT INTO staff_sessions (user_id, created_at, last_seen_at, expires_at) VALUES (:userId, :now, :now, :expiresAt) RETURNING id`,
    { replacements: { userId, now, expiresAt }, type: QueryTypes.SELECT },
  );
  return { id: row.id, expiresAt };
}

/**
 * The user of a live session (not revoked, not past its absolute expiry, used within the idle timeout),
 * touching last_seen_at; null when the session is over.
 */
export async function resumeSession(
  db: Store,
  clock: Clock,
  policy: SessionPolicy,
  sessionId: string,
  userId: string,
): Promise<{ practiceId: string; role: StaffRole } | null> {
  const now = clock.now();
  const rows = await db.sequelize.query<{ practice_id: string; role: StaffRole; last_seen_at: Date }>(
    `SELECT u.practice_id, u.role, s.last_seen_at
       FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.id = :sessionId AND s.user_id = :userId AND s.revoked_at IS NULL AND u.active
        AND s.expires_at > :now AND s.last_seen_at > :idleCutoff`,
    {
      replacements: {
        sessionId,
        userId,
        now,
        idleCutoff: new Date(now.getTime() - policy.idleMinutes * 60_000),
      },
      type: QueryTypes.SELECT,
    },
  );
  if (rows.length === 0) return null;
  if (now.getTime() - new Date(rows[0].last_seen_at).getTime() > TOUCH_AFTER_MS) {
    await db.sequelize.query('UPDATE staff_sessions SET last_seen_at = :now WHERE id = :sessionId', {
      replacements: { now, sessionId },
    });
  }
  return { practiceId: rows[0].practice_id, role: rows[0].role };
}

/** Revokes a session so its token stops working at once. */
export async function revokeSession(db: Store, clock: Clock, sessionId: string): Promise<void> {
  await db.sequelize.query(
    'UPDATE staff_sessions SET revoked_at = :now WHERE id = :sessionId AND revoked_at IS NULL',
    {
      replacements: { now: clock.now(), sessionId },
    },
  );
}
