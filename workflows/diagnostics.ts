import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { checkDatabase } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** Result of a diagnostics round trip: the worker ran an activity that reached the database. */
export interface DiagnosticsResult {
  databaseTime: string;
  taskQueue: string;
}

/** Operator smoke check: proves a worker is polling and its activities reach PostgreSQL. */
export async function diagnosticsWorkflow(): Promise<DiagnosticsResult> {
  return checkDatabase();
}
