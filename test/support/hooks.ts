import { stopTestDatabaseServer } from './database';
import { stopSharedTemporal } from './temporal';

/** Mocha global teardown: stop the run's shared servers so no process outlives the tests. */
export async function mochaGlobalTeardown(): Promise<void> {
  await Promise.allSettled([stopTestDatabaseServer(), stopSharedTemporal()]);
}
