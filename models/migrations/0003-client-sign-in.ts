import type { MigrationFn } from '../migrate';

/** One-time sign-in codes for portal clients: only a salted hash is kept, with expiry, attempts and single use. */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE client_sign_in_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
      -- HMAC-SHA256 of the code keyed by the row's random salt, both hex; the code itself is never stored.
      code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
      salt text NOT NULL CHECK (length(salt) >= 32),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
      used_at timestamptz,
      superseded_at timestamptz
    );
    -- At most one live code per client: a new code supersedes the older one in the same transaction.
    CREATE UNIQUE INDEX client_sign_in_codes_live_key ON client_sign_in_codes (client_id)
      WHERE used_at IS NULL AND superseded_at IS NULL;
    CREATE INDEX client_sign_in_codes_client_idx ON client_sign_in_codes (client_id, created_at);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS client_sign_in_codes;');
};
