import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, col, fn, where } from 'sequelize';
import { hashPassword } from '../lib/passwords';
import { linkTokenHash, type OneTimeCodes } from './oneTimeCodes';
import { recordStaffChange } from './audit';
import type { Store } from '../models/store';

/** A reset link works for one hour, once, and only while it is the user's newest. */
export const PASSWORD_RESET_VALID_MINUTES = 60;

/**
 * Records a reset request and returns its row id, the only thing its email workflow is given. The same statements
 * run whether or not the address is a staff user's (the row then has no user, and the workflow sends nothing),
 * so the answer takes the same time and says nothing about who has an account.
 */
export async function requestPasswordReset(
  db: Store,
  codes: OneTimeCodes,
  input: { email: string; now: Date },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  // A deactivated account is treated as an unknown address: a reset link must not bring it back.
  const user = await db.StaffUser.findOne({
    where: { [Op.and]: [where(fn('lower', col('email')), email), { active: true }] },
  });
  const id = randomUUID();
  const tokenHash = linkTokenHash(codes.linkToken('password-reset', id));
  const expiresAt = new Date(input.now.getTime() + PASSWORD_RESET_VALID_MINUTES * 60_000);
  await db.sequelize.transaction(async (transaction) => {
    // Only the newest link works: an older email found later in the inbox must not reset the password.
    await db.sequelize.query(
      `UPDATE staff_password_resets SET superseded_at = :now
        WHERE user_id = :userId AND used_at IS NULL AND superseded_at IS NULL`,
      { replacements: { now: input.now, userId: user?.id ?? null }, transaction },
    );
    await db.sequelize.query(
      `INSERT INTO staff_password_resets (id, user_id, token_hash, created_at, expires_at)
       VALUES (:id, :userId, :tokenHash, :now, :expiresAt)`,
      {
        replacements: { id, userId: user?.id ?? null, tokenHash, now: input.now, expiresAt },
        transaction,
      },
    );
    // Spent and dead links are of no use to anyone; keep the table to what could still be followed.
    await db.sequelize.query('DELETE FROM staff_password_resets WHERE expires_at < :cutoff', {
      replacements: { cutoff: new Date(input.now.getTime() - 86_400_000) },
      transaction,
    });
  });
  return id;
}

/** What following a reset link came to. */
export type PasswordResetOutcome = 'reset' | 'expired' | 'used' | 'unknown';

/**
 * Sets a new password from a reset link, once: marks the link used, ends every session of the user and records
 * the change in the audit log, in one transaction. Refusals change nothing.
 */
export async function confirmPasswordReset(
  db: Store,
  input: { token: string; password: string; now: Date },
): Promise<PasswordResetOutcome> {
  const tokenHash = linkTokenHash(input.token);
  // Hashed before the transaction: argon2 takes tens of milliseconds, locks should not wait for it.
  const passwordHash = await hashPassword(input.password);
  return db.sequelize.transaction(async (transaction) => {
    const [row] = await db.sequelize.query<{
      id: string;
      user_id: string | null;
      practice_id: string | null;
      expires_at: Date;
      used_at: Date | null;
      superseded_at: Date | null;
    }>(
      `SELECT r.id, r.user_id, u.practice_id, r.expires_at, r.used_at, r.superseded_at
         FROM staff_password_resets r LEFT JOIN staff_users u ON u.id = r.user_id AND u.active
        WHERE r.token_hash = :tokenHash FOR UPDATE OF r`,
      { replacements: { tokenHash }, type: QueryTypes.SELECT, transaction },
    );
    if (!row || !row.user_id || !row.practice_id) return 'unknown';
    if (row.used_at || row.superseded_at) return 'used';
    if (new Date(row.expires_at).getTime() <= input.now.getTime()) return 'expired';
    await db.sequelize.query('UPDATE staff_password_resets SET used_at = :now WHERE id = :id', {
      replacements: { now: input.now, id: row.id },
      transaction,
    });
    await db.sequelize.query(
      'UPDATE staff_users SET password_hash = :passwordHash, updated_at = :now WHERE id = :userId',
      { replacements: { passwordHash, now: input.now, userId: row.user_id }, transaction },
    );
    // Whoever held a session (perhaps the reason for the reset) is out at once, on every device.
    await db.sequelize.query(
      'UPDATE staff_sessions SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL',
      { replacements: { now: input.now, userId: row.user_id }, transaction },
    );
    await recordStaffChange(
      db,
      transaction,
      { id: row.user_id, practiceId: row.practice_id },
      {
        action: 'staff.password.reset',
        entity: 'staff_user',
        entityId: row.user_id,
        // Never a hash, old or new: the log says that it changed, and when.
        oldValue: null,
        newValue: { passwordChanged: true, sessionsEnded: true },
      },
    );
    return 'reset';
  });
}
