import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { resolveTestServer } from '../../tools/temporal/resolve';
import { startDevServer, type DevServer } from '../../temporal/devServer';
import { bundleWorkflows } from '../../temporal/worker';
import { ensureSearchAttributes } from '../../temporal/connection';
import { testDataConverter } from './codecKeys';

let bundle: Promise<WorkflowBundle> | null = null;
let devServer: Promise<DevServer> | null = null;

/** The workflow code, bundled once for the whole run and shared by every test worker. */
export function sharedWorkflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflows();
  return bundle;
}

/**
 * A time-skipping environment (the Java test server) with the booking search attributes registered; its client
 * encrypts payloads as the app's does (workers pair with it through testDataConverter).
 */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: await resolveTestServer() },
    client: { dataConverter: testDataConverter() },
  });
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  return env;
}

/** One dev server (the real Temporal CLI, in memory) shared by the run's end-to-end tests. */
export function sharedDevServer(): Promise<DevServer> {
  devServer ??= startDevServer({});
  return devServer;
}

/** A task queue of its own, so workers of different tests never take each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/** Stops the shared dev server at the end of the run. */
export async function stopSharedTemporal(): Promise<void> {
  if (!devServer) return;
  const server = await devServer;
  devServer = null;
  await server.stop();
}
