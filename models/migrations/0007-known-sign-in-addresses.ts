import type { MigrationFn } from '../migrate';

/**
 * Addresses each staff user has signed in from: a guessing attack slows sign-in to an account everywhere else,
 * never from here (api/staffAuth.ts). Rows unused for 90 days are pruned when the user next signs in.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE staff_sign_in_addresses (
      user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      address text NOT NULL,
      last_signed_in_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, address)
    );
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS staff_sign_in_addresses;');
};
