import type { MigrationFn } from '../migrate';

/**
 * Appointment reminders (issue 15). The practice's settings sit on the practice row (on by default, 48 and 2 hours
 * before). appointment_reminders makes "never twice" a fact of the database rather than of Temporal's history: one
 * row per appointment, start time and offset, claimed in the transaction that re-checks the appointment before the
 * email goes. The start time is part of the key because a moved appointment deserves reminders of its new time.
 *
 * appointments.time_set_at is when the appointment got its current time (booked, or last moved): a reminder moment
 * before it is not sent, since a "reminder" of something booked or moved minutes ago is noise. A trigger keeps it,
 * so every path that moves an appointment (staff reschedule, an approved reschedule request, any later one) is
 * covered without each having to remember it.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE practices
      ADD COLUMN reminders_enabled boolean NOT NULL DEFAULT true,
      ADD COLUMN reminder_offsets_hours integer[] NOT NULL DEFAULT '{48,2}'
        CHECK (cardinality(reminder_offsets_hours) <= 3
          AND 1 <= ALL (reminder_offsets_hours) AND 336 >= ALL (reminder_offsets_hours));

    ALTER TABLE appointments ADD COLUMN time_set_at timestamptz;
    UPDATE appointments SET time_set_at = created_at;
    ALTER TABLE appointments ALTER COLUMN time_set_at SET NOT NULL, ALTER COLUMN time_set_at SET DEFAULT now();
    CREATE FUNCTION appointments_time_set_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        NEW.time_set_at := COALESCE(NEW.created_at, now());
      ELSIF NEW.starts_at IS DISTINCT FROM OLD.starts_at THEN
        NEW.time_set_at := now();
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER appointments_time_set_at BEFORE INSERT OR UPDATE OF starts_at ON appointments
      FOR EACH ROW EXECUTE FUNCTION appointments_time_set_at();

    CREATE TABLE appointment_reminders (
      appointment_id uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL,
      offset_hours integer NOT NULL CHECK (offset_hours BETWEEN 1 AND 336),
      outcome text NOT NULL CHECK (outcome IN ('sent', 'skipped')),
      reason text,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (appointment_id, starts_at, offset_hours)
    );
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS appointment_reminders;
    DROP TRIGGER IF EXISTS appointments_time_set_at ON appointments;
    DROP FUNCTION IF EXISTS appointments_time_set_at();
    ALTER TABLE appointments DROP COLUMN IF EXISTS time_set_at;
    ALTER TABLE practices DROP COLUMN IF EXISTS reminder_offsets_hours, DROP COLUMN IF EXISTS reminders_enabled;
  `);
};
