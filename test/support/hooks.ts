import { stopTestDatabaseServer } from './database';
import { stopSharedTemporal } from './temporal';
import { installTemporalRuntime } from '../../app/runtime';
import { createLogger } from '../../lib/logger';

// Before any worker or connection exists: SDK chatter below warn stays out of the test output.
installTemporalRuntime(createLogger(process.env.TEST_LOG_LEVEL ?? 'error'));

/** Mocha global teardown: stop the run's shared servers so no process outlives the tests. */
export async function mochaGlobalTeardown(): Promise<void> {
  await Promise.allSettled([stopTestDatabaseServer(), stopSharedTemporal()]);
}
