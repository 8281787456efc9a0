import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../models/store';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedPostgresHandle } from '../../app/postgres';
import { createDatabase } from '../../models/db';
import { migrate } from '../../models/migrate';
import { freePort } from './ports';

const TEMPLATE = 'booking_test_template';

interface TestServer {
  url(database: string): string;
  stop(): Promise<void>;
}

let server: Promise<TestServer> | null = null;
let templateReady: Promise<void> | null = null;

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL's server when set (a role that may create
 * databases), otherwise an embedded one in a temporary folder.
 */
function testServer(): Promise<TestServer> {
  server ??= (async () => {
    const external = process.env.TEST_DATABASE_URL;
    if (external) {
      return {
        url: (database: string) => {
          const u = new URL(external);
          u.pathname = `/${database}`;
          return u.toString();
        },
        stop: async () => {},
      };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-test-pg-'));
    // The server runs as the postgres system user when we are root, so it must be able to enter the folder.
    fs.chmodSync(dir, 0o755);
    const handle: EmbeddedPostgresHandle = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port: await freePort(),
      persistent: false,
    });
    return {
      url: handle.url,
      stop: async () => {
        await handle.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  })();
  return server;
}

/** Migrates a template database once; every test database is a copy of it (a file copy, milliseconds). */
async function migratedTemplate(): Promise<TestServer> {
  const srv = await testServer();
  templateReady ??= (async () => {
    const admin = new pg.Client({ connectionString: srv.url('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin.end();
    await ensureDatabase(srv.url('postgres'), TEMPLATE);
    const db = createDatabase(srv.url(TEMPLATE));
    await migrate(db.sequelize);
    await db.sequelize.close();
  })();
  await templateReady;
  return srv;
}

/** A new, migrated, empty database of its own, and the store bound to it; drop() removes it. */
export async function freshDatabase(): Promise<{
  db: Store;
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const srv = await migratedTemplate();
  const name = `booking_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(srv.url('postgres'), name, TEMPLATE);
  const url = srv.url(name);
  const db = createDatabase(url, { poolMax: 20 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.sequelize.close();
      const admin = new pg.Client({ connectionString: srv.url('postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** In a describe block: a fresh database per test, dropped after it. */
export function useFreshDatabase(): { readonly db: Store; readonly url: string } {
  let current: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  beforeEach(async function () {
    current = await freshDatabase();
  });
  afterEach(async function () {
    await current?.drop();
    current = null;
  });
  return {
    get db() {
      if (!current) throw new Error('useFreshDatabase: no database outside a test');
      return current.db;
    },
    get url() {
      if (!current) throw new Error('useFreshDatabase: no database outside a test');
      return current.url;
    },
  };
}

/** Stops the shared server at the end of the run. */
export async function stopTestDatabaseServer(): Promise<void> {
  if (!server) return;
  const srv = await server;
  server = null;
  templateReady = null;
  await srv.stop();
}
