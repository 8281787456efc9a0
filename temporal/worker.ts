import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { failureConverterPath, codecDataConverter, type CodecKey } from './codec';

/** Entry point of the workflow code the worker bundles. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Bundles the workflow code once (webpack); tests share one bundle across workers. The failure converter goes in
 * with it, so a workflow's own failures are encrypted as well.
 */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** A worker on the booking task queue with every workflow and activity. */
export function createBookingWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The payload keys: encrypts with the first, decrypts with any. */
  codecKeys: CodecKey[];
  workflowBundle?: WorkflowBundle;
  /**
   * Open workflows kept in memory between tasks; the rest replay their history on their next task. The app passes
   * WORKER_MAX_CACHED_WORKFLOWS: the SDK's default follows the heap limit, not the memory the worker is given.
   */
  maxCachedWorkflows?: number;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    dataConverter: codecDataConverter(opts.codecKeys),
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    // A drained shutdown lets in-flight activities finish before the process exits.
    shutdownGraceTime: '10 seconds',
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  });
}
