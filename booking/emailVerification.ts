import { QueryTypes } from 'sequelize';
import type { OneTimeCodes } from './oneTimeCodes';
import type { Store } from '../models/store';

/**
 * A code is good for 15 minutes and 5 wrong tries until its first use with a request; from then on the address
 * counts as verified for 2 hours. Not consumed by one request: a client whose slot was taken a moment ago, or
 * who books a second appointment, should not wait for another email, and what a verified mailbox can hold is
 * bounded anyway by the pending cap (MAX_PENDING_PER_EMAIL in submitRequest.ts).
 */
export const EMAIL_VERIFICATION = { validForMinutes: 15, maxAttempts: 5, verifiedForHours: 2 } as const;

/** Records a new code for the address at the practice, superseding any older one; returns its row id. */
export async function issueEmailVerification(
  db: Store,
  input: { practiceId: string; email: string; now: Date },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const expiresAt = new Date(input.now.getTime() + EMAIL_VERIFICATION.validForMinutes * 60_000);
  return db.sequelize.transaction(async (transaction) => {
    // Two requests for one address at once queue here, so the one-live-code index never refuses the later one.
    await db.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:key))', {
      replacements: { key: `email-verification:${input.practiceId}:${email}` },
      transaction,
    });
    await db.sequelize.query(
      `UPDATE email_verifications SET superseded_at = :now
        WHERE practice_id = :practiceId AND email = :email AND superseded_at IS NULL`,
      { replacements: { now: input.now, practiceId: input.practiceId, email }, transaction },
    );
    const [row] = await db.sequelize.query<{ id: string }>(
      `INSERT INTO email_verifications (practice_id, email, created_at, expires_at)
       VALUES (:practiceId, :email, :now, :expiresAt) RETURNING id`,
      {
        replacements: { practiceId: input.practiceId, email, now: input.now, expiresAt },
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    // Spent codes are of no use to anyone; keep the table to what could still be checked.
    await db.sequelize.query(
      `DELETE FROM email_verifications
        WHERE expires_at < :cutoff AND (verified_at IS NULL OR verified_at < :cutoff)`,
      { replacements: { cutoff: new Date(input.now.getTime() - 86_400_000) }, transaction },
    );
    return row.id;
  });
}

/**
 * True when `code` is the live code of this address at the practice (unexpired, or verified within 2 hours, and
 * under 5 wrong tries); its first use marks the address verified. A wrong code counts as a try. Runs in a
 * transaction of its own, so a try still counts when the request it came with is refused afterwards.
 */
export async function confirmEmailVerification(
  db: Store,
  codes: OneTimeCodes,
  input: { practiceId: string; email: string; code: string | null; now: Date },
): Promise<boolean> {
  const email = input.email.trim().toLowerCase();
  const { now } = input;
  return db.sequelize.transaction(async (transaction) => {
    const [row] = await db.sequelize.query<{
      id: string;
      expires_at: Date;
      verified_at: Date | null;
      attempts: number;
    }>(
      `SELECT id, expires_at, verified_at, attempts FROM email_verifications
        WHERE practice_id = :practiceId AND email = :email AND superseded_at IS NULL
        FOR UPDATE`,
      { replacements: { practiceId: input.practiceId, email }, type: QueryTypes.SELECT, transaction },
    );
    if (!row || input.code === null) return false;
    const matches = codes.matches('email-verification', row.id, input.code);
    const liveUntil = row.verified_at
      ? new Date(row.verified_at).getTime() + EMAIL_VERIFICATION.verifiedForHours * 3_600_000
      : new Date(row.expires_at).getTime();
    const live = now.getTime() < liveUntil && row.attempts < EMAIL_VERIFICATION.maxAttempts;
    if (live && matches) {
      if (!row.verified_at) {
        await db.sequelize.query('UPDATE email_verifications SET verified_at = :now WHERE id = :id', {
          replacements: { now, id: row.id },
          transaction,
        });
      }
      return true;
    }
    await db.sequelize.query(
      'UPDATE email_verifications SET attempts = attempts + 1 WHERE id = :id AND attempts < :max',
      { replacements: { id: row.id, max: EMAIL_VERIFICATION.maxAttempts }, transaction },
    );
    return false;
  });
}
