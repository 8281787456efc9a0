import { stopTestDatabaseServer } from './database';

/** Mocha global teardown: stop the run's shared servers so no process outlives the tests. */
export async function mochaGlobalTeardown(): Promise<void> {
  // Loaded lazily so a run without Temporal tests never loads the SDK's native bridge.
  const { stopSharedTemporal } = await import('./temporal');
  await Promise.allSettled([stopTestDatabaseServer(), stopSharedTemporal()]);
}
