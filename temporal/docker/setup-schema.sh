#!/bin/sh
# Creates and migrates Temporal's own databases (history and visibility) in the compose PostgreSQL.
# Runs in the temporalio/admin-tools image; safe to run again (create tolerates an existing database). The same
# steps as `npm run stack:cluster` (tools/cluster/schema.ts, SCHEMA_STEPS in tools/cluster/versions.ts).
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"; }
until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do echo "waiting for PostgreSQL"; sleep 1; done
tool --db temporal create || true
tool --db temporal_visibility create || true
tool --db temporal setup-schema -v 0.0 || true
tool --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
tool --db temporal_visibility setup-schema -v 0.0 || true
tool --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo "Temporal schema ready"
