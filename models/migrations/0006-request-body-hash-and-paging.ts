import type { MigrationFn } from '../migrate';

/**
 * The hash of what a keyed submission asked for, so a replayed Idempotency-Key with another body is refused
 * instead of answered with the first request; and the indexes the paged request lists walk (newest first, and
 * pending by the moment they must be decided).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE appointment_requests
      ADD COLUMN idempotency_body_hash text CHECK (idempotency_body_hash ~ '^[0-9a-f]{64}$');
    CREATE INDEX appointment_requests_practice_created_idx
      ON appointment_requests (practice_id, created_at DESC, id DESC);
    CREATE INDEX appointment_requests_client_created_idx
      ON appointment_requests (client_id, created_at DESC, id DESC);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS appointment_requests_client_created_idx;
    DROP INDEX IF EXISTS appointment_requests_practice_created_idx;
    ALTER TABLE appointment_requests DROP COLUMN IF EXISTS idempotency_body_hash;
  `);
};
