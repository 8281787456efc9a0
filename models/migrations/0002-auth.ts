import type { MigrationFn } from '../migrate';

/** Staff sessions (revocable, idle and absolute expiry) and failed sign-in records for rate limiting. */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE staff_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

    -- One row per failed attempt, keyed by 'account:<email>' or 'address:<ip>'; old rows are pruned on write.
    CREATE TABLE auth_failures (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX auth_failures_key_idx ON auth_failures (key, at);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS auth_failures, staff_sessions;');
};
