/**
 * Temporal's schema in PostgreSQL, by temporal-sql-tool from the server module's own schema folders: the same
 * steps as compose's admin-tools (temporal/docker/setup-schema.sh), safe on every start. setup-schema runs only
 * where the version table is missing (it refuses to run twice); update-schema applies only versions not yet applied.
 */
import path from 'node:path';
import pg from 'pg';
import type { Log } from '../temporal/log';
import { run } from '../temporal/processes';
import { superuserUrl } from './postgres';
import { SCHEMA_STEPS, SQL_PLUGIN } from './versions';

async function hasVersionTable(port: number, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: superuserUrl(port, database) });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>(
      "SELECT to_regclass('public.schema_version') AS t",
    );
    return rows[0].t !== null;
  } finally {
    await client.end();
  }
}

async function databaseExists(port: number, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: superuserUrl(port) });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Creates both databases and brings their schema to the server version's; returns the tool's output. */
export async function ensureTemporalSchema(opts: {
  sqlTool: string;
  schemaDir: string;
  port: number;
  user: string;
  password: string;
  log: Log;
}): Promise<string> {
  let output = '';
  const tool = async (database: string, args: string[]) => {
    output += await run(
      opts.sqlTool,
      [
        '--plugin',
        SQL_PLUGIN,
        '--ep',
        '127.0.0.1',
        '-p',
        String(opts.port),
        '-u',
        opts.user,
        '--db',
        database,
        ...args,
      ],
      // The password by environment, so it never shows in the process list.
      {
        env: { ...process.env, SQL_PASSWORD: opts.password },
        label: `temporal-sql-tool ${args[0]} ${database}`,
        stderrToResult: true,
      },
    );
  };
  for (const step of SCHEMA_STEPS) {
    if (!(await databaseExists(opts.port, step.database))) await tool(step.database, ['create']);
    if (!(await hasVersionTable(opts.port, step.database))) {
      opts.log(`Temporal schema: setting up ${step.database}`);
      await tool(step.database, ['setup-schema', '-v', '0.0']);
    }
    await tool(step.database, ['update-schema', '-d', path.join(opts.schemaDir, step.versioned)]);
  }
  return output;
}
