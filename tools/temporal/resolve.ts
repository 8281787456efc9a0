/**
 * Resolves the two Temporal server binaries the tests and `npm start` need: the Temporal CLI (dev server, for
 * `TestWorkflowEnvironment.createLocal`) and the Java time-skipping test server (for `createTimeSkipping`).
 *
 * `@temporalio/testing` would normally download both from temporal.download, which is unreachable on machines
 * that only see package registries. So each binary is resolved in this order:
 *   1. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH (an explicit choice always wins, and is never second-guessed);
 *   2. a cached copy under `.temporal/` (`bin/temporal`; `test-server/launcher` + `test-server/lib/`);
 *   3. the SDK's own download, but only if its host answers right now;
 *   4. a build from a package registry (`go install` for the CLI, Maven Central for the test server).
 *
 * This file is the one runtime code (temporal/devServer.ts) may import from tools/: the cache layout and the
 * install jobs stay behind these two functions.
 */
import path from 'node:path';
import {
  cachedCliPath,
  cachedTestServerPath,
  DEFAULT_CACHE_DIR,
  isCliCached,
  isTestServerCached,
} from './cache';
import { executableProblem } from './files';
import { buildCli, CLI_PACKAGE } from './goInstall';
import { defaultLog, errorMessage, type Log } from './log';
import { buildTestServer } from './mavenTestServer';
import { DOWNLOAD_HOST, probeSdkDownload, PROBE_TIMEOUT_MS } from './sdkDownload';
import { TEMPORAL_CLI_VERSION, TEST_SERVER_VERSION } from './versions';

/** What to hand to `TestWorkflowEnvironment`'s `server.executable` (structurally identical to the SDK's type). */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/** Which of the two binaries a builder is asked to produce. */
export type BinaryKind = 'cli' | 'test-server';

/** Knobs for the resolvers; every one has a production default, tests override them to stay offline. */
export interface ResolveOptions {
  /** Cache root; defaults to `<repo>/.temporal`. */
  cacheDir?: string;
  /** Progress sink for slow steps (builds, downloads); defaults to stderr. */
  log?: Log;
  /** Environment to read the *_PATH variables from and to pass to go/mvn/java; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Whether the SDK's download host answers; defaults to a ~3 s HTTPS probe of temporal.download. */
  probeDownload?: () => Promise<boolean>;
  /** Installs the binary into `cacheDir` from a package registry; defaults to `go install` / Maven. */
  build?: (kind: BinaryKind, cacheDir: string, log: Log, env: NodeJS.ProcessEnv) => Promise<void>;
}

interface BinarySpec {
  kind: BinaryKind;
  title: string;
  envVar: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH';
  /** Artifact name and preferred archive format in the SDK's download service (see sdk-core ephemeral_server). */
  artifact: string;
  format?: string;
  cachedPath: (cacheDir: string) => string;
  isCached: (cacheDir: string) => Promise<boolean>;
  buildDescription: string;
  buildHint: string;
}

const CLI_SPEC: BinarySpec = {
  kind: 'cli',
  title: 'Temporal CLI (dev server)',
  envVar: 'TEMPORAL_CLI_PATH',
  artifact: 'cli',
  format: 'tar.gz',
  cachedPath: cachedCliPath,
  isCached: isCliCached,
  buildDescription: `go install ${CLI_PACKAGE}@v${TEMPORAL_CLI_VERSION}`,
  // The CLI's go.mod says go 1.25.0; Go >= 1.21 downloads that toolchain from the module proxy by itself.
  buildHint: 'install Go (>= 1.25, or >= 1.21 which fetches 1.25 itself)',
};

const TEST_SERVER_SPEC: BinarySpec = {
  kind: 'test-server',
  title: 'Temporal time-skipping test server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  artifact: 'temporal-test-server',
  cachedPath: cachedTestServerPath,
  isCached: isTestServerCached,
  buildDescription: `Maven io.temporal:temporal-test-server:${TEST_SERVER_VERSION} (mvn -f tools/temporal/test-server/pom.xml)`,
  buildHint: 'install a JDK (>= 17 for the fast AppCDS start) and Maven',
};

/** Dev server (Temporal CLI). */
export async function resolveTemporalCli(opts: ResolveOptions = {}): Promise<ServerExecutable> {
  return resolveBinary(CLI_SPEC, opts);
}

/** Time-skipping test server. */
export async function resolveTestServer(opts: ResolveOptions = {}): Promise<ServerExecutable> {
  return resolveBinary(TEST_SERVER_SPEC, opts);
}

/** Concurrent resolves in one process (e.g. parallel test files) share one build instead of racing two. */
const buildsInFlight = new Map<string, Promise<void>>();

async function resolveBinary(spec: BinarySpec, opts: ResolveOptions): Promise<ServerExecutable> {
  const env = opts.env ?? process.env;
  const cacheDir = path.resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const log = opts.log ?? defaultLog;
  const tried: string[] = [];

  // 1. An explicit path is a deliberate choice: a bad one is an error, not a reason to silently fall back.
  const fromEnv = env[spec.envVar];
  if (fromEnv) {
    const problem = await executableProblem(fromEnv);
    if (problem)
      throw new Error(`${spec.envVar} is set to "${fromEnv}", but ${problem}. Fix or unset ${spec.envVar}.`);
    return { type: 'existing-path', path: path.resolve(fromEnv) };
  }
  tried.push(`${spec.envVar}: not set`);

  // 2. Cache: installs are renamed into place only when complete, so presence means usable.
  const cached = spec.cachedPath(cacheDir);
  if (await spec.isCached(cacheDir)) return { type: 'existing-path', path: cached };
  tried.push(`cached copy: ${cached} missing or outdated`);

  // 3. The SDK's own download, only if its host is reachable now (otherwise the SDK would fail mid-test).
  const probe = opts.probeDownload ?? (() => probeSdkDownload(spec));
  if (await probe()) return { type: 'cached-download' };
  tried.push(
    `SDK download: ${DOWNLOAD_HOST} did not answer (probed with a ${PROBE_TIMEOUT_MS / 1000} s timeout)`,
  );

  // 4. Build from a package registry into the cache.
  const build = opts.build ?? defaultBuild;
  const key = `${spec.kind}:${cacheDir}`;
  let inFlight = buildsInFlight.get(key);
  if (!inFlight) {
    log(
      `${spec.title}: not cached and ${DOWNLOAD_HOST} is unreachable; installing via ${spec.buildDescription}`,
    );
    inFlight = build(spec.kind, cacheDir, log, env).finally(() => buildsInFlight.delete(key));
    buildsInFlight.set(key, inFlight);
  }
  try {
    await inFlight;
    if (await spec.isCached(cacheDir)) return { type: 'existing-path', path: cached };
    tried.push(`${spec.buildDescription}: finished but ${cached} is still missing`);
  } catch (err) {
    tried.push(`${spec.buildDescription}: ${indent(errorMessage(err))}`);
  }

  throw new Error(
    [
      `Could not find or install the ${spec.title}. Tried:`,
      ...tried.map((t, i) => `  ${i + 1}. ${t}`),
      `To fix: set ${spec.envVar} to an executable ${spec.kind === 'cli' ? 'Temporal CLI (`temporal`)' : 'test server (native temporal-test-server binary or a launcher script)'},`,
      `or ${spec.buildHint} and run \`npm run temporal:install\`.`,
    ].join('\n'),
  );
}

async function defaultBuild(
  kind: BinaryKind,
  cacheDir: string,
  log: Log,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (kind === 'cli') await buildCli(cacheDir, log, env);
  else await buildTestServer(cacheDir, log, env);
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n     ');
}
