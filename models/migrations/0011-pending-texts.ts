import type { MigrationFn } from '../migrate';

/**
 * What a person wrote for a step a workflow still has to take (a cancel reason, a decline note): kept here until
 * that step writes it where it belongs, so the workflow carries the row's id and its history no free text. The
 * step deletes the row in its own transaction; rows a step never took are pruned after 30 days.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE pending_texts (
      id uuid PRIMARY KEY,
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      text text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX pending_texts_created_at ON pending_texts (created_at);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS pending_texts;');
};
