import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps';

/** Activities that let an operator check the worker's reach. */
export function createDiagnosticsActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /** Reads the database clock, proving the worker's pool works. */
    async checkDatabase(): Promise<{ databaseTime: string; taskQueue: string }> {
      const [rows] = await db.sequelize.query('SELECT now() AS now');
      const now = (rows as { now: Date }[])[0].now;
      return { databaseTime: new Date(now).toISOString(), taskQueue: Context.current().info.taskQueue };
    },
  };
}
