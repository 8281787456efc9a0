import type { MigrationFn } from '../migrate';

/**
 * A client's choice to get no reminder emails, as the moment they made it: staff see when, and a null is the
 * default that every existing client keeps (reminders on).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`ALTER TABLE clients ADD COLUMN reminders_opted_out_at timestamptz NULL;`);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`ALTER TABLE clients DROP COLUMN IF EXISTS reminders_opted_out_at;`);
};
