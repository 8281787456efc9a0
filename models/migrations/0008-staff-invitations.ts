import type { MigrationFn } from '../migrate';

/**
 * Staff invitations (the first admin of a new practice is invited too) and deactivation of staff users. An
 * invitation keeps only a hash of its link's token; the token itself is derived again from the row id by whoever
 * holds AUTH_SECRET (booking/oneTimeCodes.ts linkToken), so the database alone never gives a link away.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE staff_users ADD COLUMN active boolean NOT NULL DEFAULT true;

    CREATE TABLE staff_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
      first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
      last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
      role text NOT NULL CHECK (role IN ('admin_clinician', 'clinician', 'practice_manager')),
      token_hash text NOT NULL,
      -- null: the first admin of a practice, invited by an operator or by sign-up.
      invited_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      reminded_at timestamptz,
      accepted_at timestamptz,
      accepted_user_id uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      revoked_at timestamptz,
      expired_at timestamptz,
      CHECK (num_nonnulls(accepted_at, revoked_at, expired_at) <= 1)
    );
    CREATE UNIQUE INDEX staff_invitations_token_hash_key ON staff_invitations (token_hash);
    CREATE INDEX staff_invitations_practice_idx ON staff_invitations (practice_id, created_at);
    CREATE INDEX staff_invitations_email_idx ON staff_invitations (lower(email));
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS staff_invitations;
    ALTER TABLE staff_users DROP COLUMN IF EXISTS active;
  `);
};
