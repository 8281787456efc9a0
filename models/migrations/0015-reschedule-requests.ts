import type { MigrationFn } from '../migrate';

/**
 * Reschedule requests from the portal are appointment requests of their own kind: the new time is held by the
 * request as any request's is, and the appointment to move is named from the start (appointment_id, which for a
 * booking is only set by its approval). One pending reschedule per appointment: a second would hold a second
 * time for the same hour of the client's.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE appointment_requests
      ADD COLUMN kind text NOT NULL DEFAULT 'booking' CHECK (kind IN ('booking', 'reschedule')),
      ADD CONSTRAINT appointment_requests_reschedule_names_appointment
        CHECK (kind = 'booking' OR (appointment_id IS NOT NULL AND client_id IS NOT NULL));
    CREATE UNIQUE INDEX appointment_requests_one_pending_reschedule ON appointment_requests (appointment_id)
      WHERE kind = 'reschedule' AND status = 'pending';
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS appointment_requests_one_pending_reschedule;
    ALTER TABLE appointment_requests DROP CONSTRAINT IF EXISTS appointment_requests_reschedule_names_appointment;
    ALTER TABLE appointment_requests DROP COLUMN IF EXISTS kind;
  `);
};
