import { QueryTypes } from 'sequelize';
import type { PasswordResetEmailInput, PasswordResetEmailOutcome } from '../booking/passwordResetEmail';
import { PASSWORD_RESET_VALID_MINUTES } from '../booking/passwordReset';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';

/** Emails a password reset link from what the database holds; the link's token is derived again from the row id. */
export function createPasswordResetEmailActivities(deps: ActivityDeps) {
  return {
    /** Sends the reset link once (idempotency key `password-reset/<id>`), unless there is nobody or it is dead. */
    async sendPasswordReset(input: PasswordResetEmailInput): Promise<PasswordResetEmailOutcome> {
      const [row] = await deps.db.sequelize.query<{
        email: string | null;
        first_name: string | null;
        practice_name: string | null;
        expires_at: Date;
        dead: boolean;
      }>(
        `SELECT u.email, u.first_name, p.name AS practice_name, r.expires_at,
                (r.used_at IS NOT NULL OR r.superseded_at IS NOT NULL) AS dead
           FROM staff_password_resets r
           LEFT JOIN staff_users u ON u.id = r.user_id
           LEFT JOIN practices p ON p.id = u.practice_id
          WHERE r.id = :id`,
        { replacements: { id: input.id }, type: QueryTypes.SELECT },
      );
      // An address that is no staff user's was promised nothing; a replaced or used link would only confuse.
      if (!row?.email || row.dead || new Date(row.expires_at).getTime() <= deps.clock.now().getTime())
        return 'skipped';
      const token = deps.codes.linkToken('password-reset', input.id);
      await deliverEmail(deps.mailer, {
        kind: 'password-reset',
        props: {
          practiceName: row.practice_name ?? '',
          firstName: row.first_name ?? '',
          resetUrl: `${deps.publicUrl}/app/reset-password?token=${encodeURIComponent(token)}`,
          validForMinutes: PASSWORD_RESET_VALID_MINUTES,
        },
        to: row.email,
        idempotencyKey: `password-reset/${input.id}`,
      });
      deps.log.info({ event: 'password_reset_sent', resetId: input.id }, 'password reset link sent');
      return 'sent';
    },
  };
}
