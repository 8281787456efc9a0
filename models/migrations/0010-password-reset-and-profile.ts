import type { MigrationFn } from '../migrate';

/**
 * Password resets: one row per request, only the link token's hash, so the table gives no link away. A request
 * for an address that is no staff user's gets a row too (user_id null, no address kept): both take the same
 * path to the same 202, and its email workflow finds nobody to write to. And
 * the staff profile the portal shows: the phone clients are told to call, a short bio and a photo.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE staff_password_resets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid REFERENCES staff_users (id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      superseded_at timestamptz
    );
    CREATE INDEX staff_password_resets_user ON staff_password_resets (user_id);
    ALTER TABLE staff_users ADD COLUMN phone text, ADD COLUMN bio text, ADD COLUMN photo_url text;
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS staff_password_resets;
    ALTER TABLE staff_users DROP COLUMN IF EXISTS phone, DROP COLUMN IF EXISTS bio, DROP COLUMN IF EXISTS photo_url;
  `);
};
