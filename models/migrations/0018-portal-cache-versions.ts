import type { MigrationFn } from '../migrate';

/**
 * A version per practice, raised in the same transaction as any change to what an availability answer is
 * computed from apart from time off and holds (the practice, its clinicians' role and active flag, their booking
 * preferences and availability rules, its services). API processes keep those rows in memory and read this one
 * number with the holds of every question, so a committed change is seen by every process on its very next
 * question. Triggers rather than calls in each write path, so no path (a route, a script, a bench's raw UPDATE)
 * can forget it. No foreign key: a practice's delete must not fail on its version, and a stray row costs nothing.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE portal_cache_versions (
      practice_id uuid PRIMARY KEY,
      version bigint NOT NULL DEFAULT 1
    );
    INSERT INTO portal_cache_versions (practice_id) SELECT id FROM practices;

    CREATE FUNCTION bump_portal_cache_version(pid uuid) RETURNS void LANGUAGE sql AS $$
      INSERT INTO portal_cache_versions (practice_id) VALUES (pid)
        ON CONFLICT (practice_id) DO UPDATE SET version = portal_cache_versions.version + 1
    $$;

    CREATE FUNCTION portal_cache_practice_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM bump_portal_cache_version(NEW.id);
      RETURN NULL;
    END $$;

    CREATE FUNCTION portal_cache_practice_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN PERFORM bump_portal_cache_version(OLD.practice_id); END IF;
      IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.practice_id <> OLD.practice_id) THEN
        PERFORM bump_portal_cache_version(NEW.practice_id);
      END IF;
      RETURN NULL;
    END $$;

    CREATE FUNCTION portal_cache_clinician_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        PERFORM bump_portal_cache_version(practice_id) FROM staff_users WHERE id = OLD.clinician_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        PERFORM bump_portal_cache_version(practice_id) FROM staff_users WHERE id = NEW.clinician_id;
      END IF;
      RETURN NULL;
    END $$;

    CREATE TRIGGER portal_cache_version AFTER INSERT OR UPDATE ON practices
      FOR EACH ROW EXECUTE FUNCTION portal_cache_practice_changed();
    -- Sign-ins and profile edits touch other columns of staff_users and leave the cache alone.
    CREATE TRIGGER portal_cache_version AFTER INSERT OR DELETE OR UPDATE OF role, active, practice_id ON staff_users
      FOR EACH ROW EXECUTE FUNCTION portal_cache_practice_row_changed();
    CREATE TRIGGER portal_cache_version AFTER INSERT OR UPDATE OR DELETE ON services
      FOR EACH ROW EXECUTE FUNCTION portal_cache_practice_row_changed();
    CREATE TRIGGER portal_cache_version AFTER INSERT OR UPDATE OR DELETE ON booking_preferences
      FOR EACH ROW EXECUTE FUNCTION portal_cache_clinician_row_changed();
    CREATE TRIGGER portal_cache_version AFTER INSERT OR UPDATE OR DELETE ON availability_rules
      FOR EACH ROW EXECUTE FUNCTION portal_cache_clinician_row_changed();
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TRIGGER IF EXISTS portal_cache_version ON availability_rules;
    DROP TRIGGER IF EXISTS portal_cache_version ON booking_preferences;
    DROP TRIGGER IF EXISTS portal_cache_version ON services;
    DROP TRIGGER IF EXISTS portal_cache_version ON staff_users;
    DROP TRIGGER IF EXISTS portal_cache_version ON practices;
    DROP FUNCTION IF EXISTS portal_cache_clinician_row_changed();
    DROP FUNCTION IF EXISTS portal_cache_practice_row_changed();
    DROP FUNCTION IF EXISTS portal_cache_practice_changed();
    DROP FUNCTION IF EXISTS bump_portal_cache_version(uuid);
    DROP TABLE IF EXISTS portal_cache_versions;
  `);
};
