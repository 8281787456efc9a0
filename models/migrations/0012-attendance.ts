import type { MigrationFn } from '../migrate';

/**
 * Appointment statuses for attendance (`show`, `no_show`) and for the practice canceling (`clinician_canceled`).
 *
 * An attended appointment keeps its hold. Show and No Show are marked once the time has begun, and that time was
 * still the clinician's: the client came, or the chair sat empty because they did not. Freeing the hold would let
 * a staff booking (no minimum notice) land on top of an appointment that happened, and the calendar would show
 * two clients in one hour; keeping it also makes marking (and correcting) attendance one UPDATE with no hold to
 * create or delete. Only the three canceled words free the time.
 *
 * The 0001 checks were unnamed, so they are found by what they say; the new ones are named for the next change.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DO $$
    DECLARE c record;
    BEGIN
      FOR c IN
        SELECT conname FROM pg_constraint
        WHERE conrelid = 'appointments'::regclass AND contype = 'c'
          AND (pg_get_constraintdef(oid) LIKE '%late_canceled%' OR pg_get_constraintdef(oid) LIKE '%hold_id IS NOT NULL%')
      LOOP
        EXECUTE format('ALTER TABLE appointments DROP CONSTRAINT %I', c.conname);
      END LOOP;
    END $$;
    ALTER TABLE appointments
      ADD CONSTRAINT appointments_status_check CHECK (
        status IN ('scheduled', 'show', 'no_show', 'canceled', 'late_canceled', 'clinician_canceled')
      ),
      -- Scheduled and attended appointments hold their time; canceled ones never do.
      ADD CONSTRAINT appointments_hold_check CHECK (
        (status IN ('scheduled', 'show', 'no_show')) = (hold_id IS NOT NULL)
      );
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  // Attendance cannot be said in the old words: an attended appointment goes back to scheduled (it keeps its
  // hold) and a practice's cancelation to canceled.
  await qi.sequelize.query(`
    ALTER TABLE appointments DROP CONSTRAINT appointments_status_check, DROP CONSTRAINT appointments_hold_check;
    UPDATE appointments SET status = 'scheduled' WHERE status IN ('show', 'no_show');
    UPDATE appointments SET status = 'canceled' WHERE status = 'clinician_canceled';
    ALTER TABLE appointments
      ADD CONSTRAINT appointments_status_check CHECK (status IN ('scheduled', 'canceled', 'late_canceled')),
      ADD CONSTRAINT appointments_hold_check CHECK ((status = 'scheduled') = (hold_id IS NOT NULL));
  `);
};
