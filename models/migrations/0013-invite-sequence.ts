import type { MigrationFn } from '../migrate';

/**
 * The SEQUENCE of an appointment's calendar event (RFC 5545 §3.8.7.4): every invite a client receives for the same
 * UID after the first one (a new time, a cancelation) must carry a higher number, or calendar apps keep the old
 * version. Bumped in the same transaction as the change the email announces.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE appointments ADD COLUMN invite_sequence integer NOT NULL DEFAULT 0 CHECK (invite_sequence >= 0);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('ALTER TABLE appointments DROP COLUMN IF EXISTS invite_sequence;');
};
