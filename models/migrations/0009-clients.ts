import type { MigrationFn } from '../migrate';

/**
 * Clients the practice runs by hand: archiving (history kept, no portal sign-in, no requests), portal invitations
 * sent by staff, and a second client at an address another client already signs in with (a parent and child
 * sharing one mailbox): the address stays on both for contact, but only one of them signs in with it, so the
 * unique key moves from every client to the clients who sign in.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE clients
      ADD COLUMN archived_at timestamptz,
      ADD COLUMN portal_sign_in boolean NOT NULL DEFAULT true;
    DROP INDEX clients_practice_email_key;
    CREATE UNIQUE INDEX clients_practice_sign_in_email_key ON clients (practice_id, lower(email))
      WHERE portal_sign_in;
    -- The list is searched by name, email and phone and ordered by name.
    CREATE INDEX clients_practice_name_idx ON clients (practice_id, lower(last_name || ' ' || first_name), id);

    CREATE TABLE client_portal_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
      invited_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX client_portal_invitations_client_idx ON client_portal_invitations (client_id, created_at);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS client_portal_invitations;
    DROP INDEX IF EXISTS clients_practice_name_idx;
    DROP INDEX IF EXISTS clients_practice_sign_in_email_key;
    DELETE FROM clients WHERE NOT portal_sign_in;
    CREATE UNIQUE INDEX clients_practice_email_key ON clients (practice_id, lower(email));
    ALTER TABLE clients DROP COLUMN archived_at, DROP COLUMN portal_sign_in;
  `);
};
