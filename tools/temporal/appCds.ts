/**
 * The test server's AppCDS archive: recorded once at install (or when a JDK or jar change made it stale), it cuts
 * the JVM's start-to-listen from ~0.4 s to ~0.15 s, well inside the 5 s the SDK allows.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CACHE_DIR } from './cache';
import { fileExists, removeStaleTemps } from './files';
import { CDS_ARCHIVE } from './launcher';
import { defaultLog, errorMessage, type Log } from './log';
import { run, startServer } from './processes';

/** Options for {@link ensureCdsArchive}. */
export interface CdsOptions {
  /** Cache root holding `test-server/`; defaults to `<repo>/.temporal`. */
  cacheDir?: string;
  /** Progress sink; defaults to stderr. */
  log?: Log;
  /** Environment for the JVM; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Also start the server once to count archived classes and time start-to-listen (~0.5 s more). */
  measure?: boolean;
}

/** Outcome of {@link ensureCdsArchive}; the counts and timing are filled in only with `measure`. */
export interface CdsStatus {
  /** True when the JVM accepts the archive under -Xshare:on (which fails instead of silently falling back). */
  used: boolean;
  /** True when the archive was (re)created by this call. */
  created: boolean;
  /** Classes loaded during one start-to-listen: from our app archive, from any CDS archive (app + JDK base), in total. */
  appArchiveClasses?: number;
  sharedClasses?: number;
  totalClasses?: number;
  /** Start-to-listen of the measured start, in ms. */
  listenMs?: number;
}

/**
 * Makes sure the cached test server has a working AppCDS archive, recording a new one if it is missing or stale
 * (another JDK, other jars), e.g. after a CI image update under a restored `.temporal` cache.
 */
export async function ensureCdsArchive(opts: CdsOptions = {}): Promise<CdsStatus> {
  const cacheDir = path.resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const log = opts.log ?? defaultLog;
  const env = opts.env ?? process.env;
  const dir = path.join(cacheDir, 'test-server');
  const launcher = path.join(dir, 'launcher');
  if (!(await fs.readFile(launcher, 'utf8')).includes(CDS_ARCHIVE)) return { used: false, created: false };
  const archive = path.join(dir, CDS_ARCHIVE);
  let created = false;
  let used = (await fileExists(archive)) && (await archiveAccepted(launcher, env));
  if (!used) {
    log(
      `AppCDS archive ${(await fileExists(archive)) ? 'is stale (different JDK or jars)' : 'is missing'}; recording it`,
    );
    await createCdsArchive(launcher, archive, env, log);
    created = true;
    used = await archiveAccepted(launcher, env);
    if (!used)
      log('Warning: the JVM rejects the new AppCDS archive; the test server will start without it (slower)');
  }
  return used && opts.measure ? { ...(await measureCdsStart(launcher, env)), created } : { used, created };
}

/** ~0.1 s check with the launcher's own JVM flags and classpath (`launcher --check-cds`) that the JVM maps the archive. */
async function archiveAccepted(launcher: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await run(launcher, ['--check-cds'], { env, label: 'launcher --check-cds' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Training run: starts the server with -XX:ArchiveClassesAtExit, drives the RPCs a test environment makes so those
 * classes are archived too, then stops it with SIGTERM (a normal JVM exit is what writes the archive).
 */
async function createCdsArchive(
  launcher: string,
  archive: string,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<void> {
  const tmp = `${archive}.tmp-${process.pid}`;
  await fs.rm(tmp, { force: true });
  await removeStaleTemps(path.dirname(archive), [`${CDS_ARCHIVE}.tmp-`, '.cds-verify-']);
  log('Recording the AppCDS archive for a faster test server start (a few seconds)');
  const server = await startServer(launcher, {
    ...env,
    TEMPORAL_TEST_SERVER_CDS: 'off',
    TEMPORAL_TEST_SERVER_JAVA_OPTS: `${env.TEMPORAL_TEST_SERVER_JAVA_OPTS ?? ''} -XX:ArchiveClassesAtExit=${tmp}`,
  });
  try {
    await server.listening;
    await exerciseTestServer(server.port).catch((err: unknown) =>
      log(`AppCDS training RPCs failed (archive covers start-up only): ${errorMessage(err)}`),
    );
  } finally {
    await server.stop('SIGTERM');
  }
  const stat = await fs.stat(tmp).catch(() => undefined);
  if (!stat?.size) {
    await fs.rm(tmp, { force: true });
    throw new Error('the JVM exited without writing the AppCDS archive');
  }
  await fs.rename(tmp, archive);
}

/** The calls `TestWorkflowEnvironment.createTimeSkipping` and a first test make, so their classes get archived. */
async function exerciseTestServer(port: number): Promise<void> {
  const { Connection, Client } = await import('@temporalio/client');
  // Internal flag, used exactly like TestWorkflowEnvironment does, to get the TestService stub (time skipping RPCs).
  const { InternalConnectionOptionsSymbol } = await import('@temporalio/client/lib/connection');
  const connection = await Connection.connect({
    address: `127.0.0.1:${port}`,
    connectTimeout: 5000,
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  });
  try {
    const client = new Client({ connection });
    const testService = connection.testService;
    if (!testService) throw new Error('connection has no TestService');
    await connection.workflowService.getSystemInfo({});
    await testService.getCurrentTime({});
    await testService.unlockTimeSkipping({});
    const handle = await client.workflow.start('cdsTraining', {
      taskQueue: 'cds-training',
      workflowId: 'cds-training',
      args: [],
    });
    await handle.describe();
    await handle.signal('poke');
    await testService.lockTimeSkipping({});
    await handle.terminate('AppCDS training done');
  } finally {
    await connection.close();
  }
}

/** Starts the server once from the archive, timing start-to-listen and counting classes mapped from CDS. */
async function measureCdsStart(launcher: string, env: NodeJS.ProcessEnv): Promise<CdsStatus> {
  const logFile = path.join(path.dirname(launcher), `.cds-verify-${process.pid}.log`);
  const server = await startServer(launcher, {
    ...env,
    TEMPORAL_TEST_SERVER_JAVA_OPTS: `${env.TEMPORAL_TEST_SERVER_JAVA_OPTS ?? ''} -Xshare:on -Xlog:class+load=info:file=${logFile}`,
  });
  let listenMs = 0;
  try {
    listenMs = await server.listening;
  } catch {
    // Reported as not used below; archiveAccepted() already said it maps, so this is a start-up failure, not staleness.
  } finally {
    await server.stop('SIGKILL');
  }
  const lines = (await fs.readFile(logFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.includes(' source: '));
  await fs.rm(logFile, { force: true });
  if (listenMs > 0) {
    // Timed again without class logging, which alone adds a few hundred ms and would misstate the start-up.
    const timed = await startServer(launcher, env);
    try {
      listenMs = await timed.listening;
    } finally {
      await timed.stop('SIGKILL');
    }
  }
  // "(top)" marks our dynamic archive; plain "shared objects file" is the JDK's base archive underneath it.
  const appArchiveClasses = lines.filter((l) => l.includes('source: shared objects file (top)')).length;
  const sharedClasses = lines.filter((l) => l.includes('source: shared objects file')).length;
  return {
    used: listenMs > 0 && appArchiveClasses > 0,
    created: false,
    appArchiveClasses,
    sharedClasses,
    totalClasses: lines.length,
    listenMs,
  };
}
