import { QueryTypes } from 'sequelize';
import type { Clock } from '../../lib/clock';
import type { Store } from '../../models/store';

/**
 * Signs a client token out until it would have expired anyway. Keyed by the token's id rather than a
 * per-client generation, so signing out on one device leaves the client's other devices signed in.
 */
export async function revokeClientToken(
  db: Store,
  clock: Clock,
  jti: string,
  expiresAt: Date,
): Promise<void> {
  await db.sequelize.transaction(async (transaction) => {
    await db.sequelize.query(
      'INSERT INTO revoked_client_tokens (jti, expires_at) VALUES (:jti, :expiresAt) ON CONFLICT (jti) DO NOTHING',
      { replacements: { jti, expiresAt }, transaction },
    );
    // Tokens past their expiry are refused by their signature check; their rows serve nothing.
    await db.sequelize.query('DELETE FROM revoked_client_tokens WHERE expires_at < :now', {
      replacements: { now: clock.now() },
      transaction,
    });
  });
}

/** True when the client token with this id was signed out. */
export async function clientTokenRevoked(db: Store, jti: string): Promise<boolean> {
  const rows = await db.sequelize.query('SELECT 1 FROM revoked_client_tokens WHERE jti = :jti', {
    replacements: { jti },
    type: QueryTypes.SELECT,
  });
  return rows.length > 0;
}
