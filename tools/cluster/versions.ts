/**
 * The one place the production shape's versions, schema steps and default ports are written down: the cluster
 * script (tools/cluster/) builds and runs exactly these, and test/app/dockerCompose.test.ts holds
 * docker-compose.yml and temporal/docker/setup-schema.sh to them, so the two cannot drift.
 */
import { TEMPORAL_CLI_VERSION } from '../temporal/versions';

/**
 * The Temporal server both run. 1.29.1 is the server the pinned CLI (v1.5.1) is built against, so it builds from
 * the CLI's own Go module graph and reuses the CLI's Go build cache: about 10–20 s here, against about 4 minutes
 * and 2.5 GB of new caches for 1.31.2 (the newest that builds with this machine's Go). One version for the local
 * cluster and for compose means what the tests prove here is what compose deploys.
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';

/**
 * The Temporal UI server: the version the same CLI embeds (its go.mod requires github.com/temporalio/ui-server/v2
 * at this version), so it builds from the same graph in seconds; compose runs the temporalio/ui image of it.
 */
export const TEMPORAL_UI_VERSION = '2.42.1';

/** The module whose go.mod the Temporal binaries are built from. */
export const CLI_MODULE = `github.com/temporalio/cli@v${TEMPORAL_CLI_VERSION}`;

/** Go packages of the three binaries, by the name they are cached under. */
export const GO_PACKAGES = {
  'temporal-server': `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
  'temporal-sql-tool': `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
  'temporal-ui-server': `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`,
} as const;

/**
 * Docker images of the same versions (compose). admin-tools is published per minor line since 1.29 (`1.29`, no
 * `1.29.1` tag: temporalio/temporal#8431); its schema folders are those of the line, which patch releases do not
 * change.
 */
export const IMAGES = {
  server: `temporalio/server:${TEMPORAL_SERVER_VERSION}`,
  adminTools: `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.split('.').slice(0, 2).join('.')}`,
  ui: `temporalio/ui:${TEMPORAL_UI_VERSION}`,
} as const;

/** temporal-sql-tool's plugin for PostgreSQL 12 and later. */
export const SQL_PLUGIN = 'postgres12';

/** The schema folder inside the server module (and under /etc/temporal/ in the admin-tools image). */
export const SCHEMA_DIR = 'schema/postgresql/v12';

/**
 * Temporal's two databases and the schema each gets: `setup-schema -v 0.0` once (the version table), then
 * `update-schema -d <SCHEMA_DIR>/<versioned>` every start, which applies only the versions not applied yet.
 */
export const SCHEMA_STEPS = [
  { database: 'temporal', versioned: 'temporal/versioned' },
  { database: 'temporal_visibility', versioned: 'visibility/versioned' },
] as const;

/** The namespace the booking processes use and how long Temporal keeps a closed workflow's history. */
export const NAMESPACE = { name: 'default', retentionDays: 30 } as const;

/**
 * History shards: fixed for the life of the Temporal database (changing it means a new database). 4 suits one
 * machine with 2 cores; the capacity plan says what 10,000 practices need.
 */
export const HISTORY_SHARDS = 4;

/**
 * Default ports, inside the ranges this machine's engineers agreed on (cluster: 7300–7399, 3400–3499,
 * 55400–55499), so the cluster never lands on the dev server's 7233/8233 or another checkout's 3000. Every one is
 * overridable (tools/cluster/ports.ts).
 */
export const DEFAULT_PORTS = {
  postgres: 55432,
  /** Temporal frontend gRPC; the server's other ports follow it (ports.ts). */
  temporal: 7333,
  ui: 7380,
  /** API i listens on api + i - 1. */
  api: 3400,
  /** API i's HTTP metrics (METRICS_PORT) on apiMetrics + i - 1. */
  apiMetrics: 3420,
  /** Temporal SDK metrics (TEMPORAL_METRICS_PORT): APIs from here, then the workers. */
  temporalMetrics: 3440,
} as const;
