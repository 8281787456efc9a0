import type { MigrationFn } from '../migrate';

/** Every table of DESIGN.md section 4, with the invariants the database itself can keep. */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE EXTENSION IF NOT EXISTS btree_gist;

    CREATE TABLE practices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{1,61})[a-z0-9]$'),
      time_zone text NOT NULL,
      phone text,
      portal_enabled boolean NOT NULL DEFAULT false,
      allow_new_clients boolean NOT NULL DEFAULT true,
      cancellation_policy text NOT NULL DEFAULT '24h'
        CHECK (cancellation_policy IN ('phone_call', '24h', '48h', '72h')),
      request_lifetime_hours integer NOT NULL DEFAULT 168 CHECK (request_lifetime_hours BETWEEN 1 AND 2160),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX practices_slug_key ON practices (slug);

    CREATE TABLE staff_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      email text NOT NULL,
      first_name text NOT NULL,
      last_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin_clinician', 'clinician', 'practice_manager')),
      password_hash text NOT NULL,
      time_zone text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Staff sign in with email and password alone, so an email names one account across practices.
    CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));
    CREATE INDEX staff_users_practice_idx ON staff_users (practice_id);

    CREATE TABLE services (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
      bookable_online boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (practice_id, id)
    );

    CREATE TABLE booking_preferences (
      clinician_id uuid PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
      online_booking_enabled boolean NOT NULL DEFAULT true,
      initial_consultation_service_id uuid REFERENCES services (id) ON DELETE SET NULL,
      start_time_interval_minutes integer NOT NULL DEFAULT 15
        CHECK (start_time_interval_minutes IN (5, 10, 15, 20, 30, 45, 60)),
      minimum_notice_hours integer NOT NULL DEFAULT 24 CHECK (minimum_notice_hours BETWEEN 0 AND 720),
      buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
      buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE availability_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      clinician_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      rrule text NOT NULL,
      start_date date NOT NULL,
      until date CHECK (until IS NULL OR until >= start_date),
      start_time time NOT NULL,
      end_time time NOT NULL CHECK (end_time > start_time),
      time_zone text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX availability_rules_clinician_idx ON availability_rules (clinician_id);

    CREATE TABLE time_off (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      clinician_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX time_off_clinician_idx ON time_off (clinician_id, starts_at);

    CREATE TABLE clients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      phone text,
      time_zone text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- The email is how a client signs in to the portal: one client per address per practice.
    CREATE UNIQUE INDEX clients_practice_email_key ON clients (practice_id, lower(email));

    -- One table of time holds that pending requests and scheduled appointments both point to, so a single
    -- exclusion constraint keeps invariant 1: a clinician's holds never overlap.
    CREATE TABLE time_holds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      clinician_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
      kind text NOT NULL CHECK (kind IN ('request', 'appointment')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT time_holds_no_overlap EXCLUDE USING gist (clinician_id WITH =, during WITH &&)
    );

    CREATE TABLE appointment_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      clinician_id uuid NOT NULL REFERENCES staff_users (id),
      service_id uuid NOT NULL REFERENCES services (id),
      client_id uuid REFERENCES clients (id),
      new_client jsonb,
      possible_duplicate_client_id uuid REFERENCES clients (id),
      message text,
      client_time_zone text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'declined', 'expired', 'withdrawn')),
      hold_id uuid UNIQUE REFERENCES time_holds (id) ON DELETE SET NULL,
      decline_note text,
      appointment_id uuid,
      decided_by uuid REFERENCES staff_users (id),
      decided_at timestamptz,
      idempotency_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- Who asked: a signed-in client, or a new client's details (kept after approval creates the client).
      CHECK (client_id IS NOT NULL OR new_client IS NOT NULL),
      -- A pending request always holds its slot; a final one never does.
      CHECK ((status = 'pending') = (hold_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX appointment_requests_idempotency_key ON appointment_requests (practice_id, idempotency_key)
      WHERE idempotency_key IS NOT NULL;
    CREATE INDEX appointment_requests_clinician_status_idx ON appointment_requests (clinician_id, status, starts_at);
    CREATE INDEX appointment_requests_client_idx ON appointment_requests (client_id);

    CREATE TABLE appointments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
      clinician_id uuid NOT NULL REFERENCES staff_users (id),
      service_id uuid NOT NULL REFERENCES services (id),
      client_id uuid NOT NULL REFERENCES clients (id),
      request_id uuid UNIQUE REFERENCES appointment_requests (id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'canceled', 'late_canceled')),
      cancellation_policy text NOT NULL CHECK (cancellation_policy IN ('phone_call', '24h', '48h', '72h')),
      hold_id uuid UNIQUE REFERENCES time_holds (id) ON DELETE SET NULL,
      cancel_requested_at timestamptz,
      canceled_at timestamptz,
      canceled_by text CHECK (canceled_by IN ('client', 'staff')),
      cancel_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- A scheduled appointment always holds its time; a canceled one never does.
      CHECK ((status = 'scheduled') = (hold_id IS NOT NULL))
    );
    CREATE INDEX appointments_clinician_starts_idx ON appointments (clinician_id, starts_at);
    CREATE INDEX appointments_client_idx ON appointments (client_id, starts_at);
    ALTER TABLE appointment_requests
      ADD CONSTRAINT appointment_requests_appointment_fk FOREIGN KEY (appointment_id) REFERENCES appointments (id);

    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      request_id uuid REFERENCES appointment_requests (id) ON DELETE CASCADE,
      appointment_id uuid REFERENCES appointments (id) ON DELETE CASCADE,
      dedupe_key text NOT NULL,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- An activity retried after a crash adds the bell item once.
      UNIQUE (user_id, dedupe_key)
    );
    CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      practice_id uuid REFERENCES practices (id) ON DELETE CASCADE,
      actor_type text NOT NULL CHECK (actor_type IN ('staff', 'client', 'system')),
      actor_id uuid,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      old_value jsonb,
      new_value jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_practice_idx ON audit_log (practice_id, created_at DESC);
  `);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS audit_log, notifications, appointments, appointment_requests, time_holds, clients,
      time_off, availability_rules, booking_preferences, services, staff_users, practices CASCADE;
  `);
};
