import { Sequelize } from 'sequelize';
import pg from 'pg';
import { createStore, type Store } from './store';

// DATE columns come back as strings by default in pg; date-only values stay 'YYYY-MM-DD' text, never a
// Date at local midnight, so the process time zone cannot shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** Opens a connection pool to url and returns the store bound to it (close it with store.sequelize.close()). */
export function createDatabase(
  url: string,
  opts: { poolMax?: number; log?: (sql: string) => void } = {},
): Store {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: opts.log ?? false,
    pool: { max: opts.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000 },
    // Timestamps cross the wire as UTC instants whatever the server or process zone.
    timezone: '+00:00',
    define: { underscored: true },
  });
  return createStore(sequelize);
}

/** True when the database answers a trivial query. */
export async function databaseReachable(sequelize: Sequelize): Promise<boolean> {
  try {
    await sequelize.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
