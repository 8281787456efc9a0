import type { MigrationFn } from '../migrate';

/**
 * Each clinician's private calendar feed: at most one, so rotating replaces the row and the old address stops at
 * once. The feed's address carries an HMAC of `id` under AUTH_SECRET; the table keeps only that token's SHA-256,
 * so the database alone gives no address away.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE calendar_feeds (
      clinician_id uuid PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
      id uuid NOT NULL UNIQUE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL
    );
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS calendar_feeds;');
};
