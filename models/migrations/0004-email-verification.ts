import type { MigrationFn } from '../migrate';

/**
 * Portal codes the worker emails (booking/oneTimeCodes.ts), new-client email verification, the mailbox a
 * request counts against, and revoked client tokens.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    -- A code is now an HMAC of its row id under a key derived from AUTH_SECRET: the worker can email it after
    -- the API has answered, and the row holds nothing a database reader could turn back into the code (a salted
    -- hash of 6 digits falls to a million guesses). Codes live at the moment of deploying stop working.
    ALTER TABLE client_sign_in_codes DROP COLUMN code_hash, DROP COLUMN salt;
    -- An address that is not a client's gets a row too (client_id NULL), so both answers do the same work.
    ALTER TABLE client_sign_in_codes ALTER COLUMN client_id DROP NOT NULL;
    CREATE INDEX client_sign_in_codes_strangers_idx ON client_sign_in_codes (expires_at) WHERE client_id IS NULL;

    CREATE TABLE email_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      -- Where the code went, lower case; a request must name the same address.
      email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
      verified_at timestamptz,
      superseded_at timestamptz
    );
    -- One live code per address and practice: a new one supersedes the older in the same transaction.
    CREATE UNIQUE INDEX email_verifications_live_key ON email_verifications (practice_id, email)
      WHERE superseded_at IS NULL;
    CREATE INDEX email_verifications_expiry_idx ON email_verifications (expires_at);

    -- The mailbox (booking/mailbox.ts) a request counts against for the pending cap.
    ALTER TABLE appointment_requests ADD COLUMN mailbox text;
    -- Pending requests written before this migration, by the same rule as mailboxOf().
    UPDATE appointment_requests r
       SET mailbox = CASE WHEN x.domain IN ('gmail.com', 'googlemail.com')
                          THEN coalesce(nullif(replace(x.local, '.', ''), ''), x.local) || '@gmail.com'
                          ELSE x.local || '@' || x.domain END
      FROM (SELECT q.id,
                   coalesce(nullif(regexp_replace(split_part(q.e, '@', 1), '\\+.*$', ''), ''), split_part(q.e, '@', 1)) AS local,
                   split_part(q.e, '@', 2) AS domain
              FROM (SELECT a.id, lower(trim(coalesce(a.new_client->>'email', c.email))) AS e
                      FROM appointment_requests a LEFT JOIN clients c ON c.id = a.client_id
                     WHERE a.status = 'pending') q) x
     WHERE x.id = r.id;
    CREATE INDEX appointment_requests_pending_mailbox_idx ON appointment_requests (practice_id, mailbox)
      WHERE status = 'pending';

    -- Client tokens signed out before they expire; a row is useless once its token has expired.
    CREATE TABLE revoked_client_tokens (
      jti uuid PRIMARY KEY,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX revoked_client_tokens_expiry_idx ON revoked_client_tokens (expires_at);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS revoked_client_tokens;
    DROP INDEX IF EXISTS appointment_requests_pending_mailbox_idx;
    ALTER TABLE appointment_requests DROP COLUMN IF EXISTS mailbox;
    DROP TABLE IF EXISTS email_verifications;
    DELETE FROM client_sign_in_codes WHERE client_id IS NULL;
    DROP INDEX IF EXISTS client_sign_in_codes_strangers_idx;
    ALTER TABLE client_sign_in_codes ALTER COLUMN client_id SET NOT NULL;
    -- Old rows cannot get their hash back: they are dead codes, so give them an unmatchable one.
    ALTER TABLE client_sign_in_codes
      ADD COLUMN code_hash text NOT NULL DEFAULT repeat('0', 64) CHECK (code_hash ~ '^[0-9a-f]{64}$'),
      ADD COLUMN salt text NOT NULL DEFAULT repeat('0', 32) CHECK (length(salt) >= 32);
    UPDATE client_sign_in_codes SET superseded_at = coalesce(superseded_at, now()) WHERE used_at IS NULL;
    ALTER TABLE client_sign_in_codes ALTER COLUMN code_hash DROP DEFAULT, ALTER COLUMN salt DROP DEFAULT;
  `);
};
