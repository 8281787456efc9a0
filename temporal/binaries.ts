/**
 * Resolves the two Temporal server binaries the tests need: the Temporal CLI (dev server, for
 * `TestWorkflowEnvironment.createLocal`) and the Java time-skipping test server (for `createTimeSkipping`).
 *
 * `@temporalio/testing` would normally download both from temporal.download, which is unreachable on machines
 * that only see package registries. So each binary is resolved in this order:
 *   1. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH (an explicit choice always wins, and is never second-guessed);
 *   2. a cached copy under `.temporal/` (`bin/temporal`; `test-server/launcher` + `test-server/lib/`);
 *   3. the SDK's own download, but only if its host answers right now;
 *   4. a build from a package registry (`go install` for the CLI, Maven Central for the test server).
 *
 * Run as a script (`tsx temporal/binaries.ts [--quiet]`) it installs/verifies both; `npm test` runs it first.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What to hand to `TestWorkflowEnvironment`'s `server.executable` (structurally identical to the SDK's type). */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/** Which of the two binaries a builder is asked to produce. */
export type BinaryKind = 'cli' | 'test-server';

/** Knobs for the resolvers; every one has a production default, tests override them to stay offline. */
export interface ResolveOptions {
  /** Cache root; defaults to `<repo>/.temporal`. */
  cacheDir?: string;
  /** Progress sink for slow steps (builds, downloads); defaults to stderr. */
  log?: (msg: string) => void;
  /** Environment to read the *_PATH variables from and to pass to go/mvn/java; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Whether the SDK's download host answers; defaults to a ~3 s HTTPS probe of temporal.download. */
  probeDownload?: () => Promise<boolean>;
  /** Installs the binary into `cacheDir` from a package registry; defaults to `go install` / Maven. */
  build?: (
    kind: BinaryKind,
    cacheDir: string,
    log: (msg: string) => void,
    env: NodeJS.ProcessEnv,
  ) => Promise<void>;
}

/** Temporal CLI release built by `go install` (the newest release that `go install <pkg>@<version>` accepts). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** Maven version of io.temporal:temporal-test-server; keep in step with temporal/test-server/pom.xml. */
export const TEST_SERVER_VERSION = '1.38.0';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POM_PATH = path.join(REPO_ROOT, 'temporal', 'test-server', 'pom.xml');
const DOWNLOAD_HOST = 'https://temporal.download';
const PROBE_TIMEOUT_MS = 3000;
const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';
const CDS_ARCHIVE = 'test-server.jsa';

/**
 * Stamped into every generated launcher; a cached launcher without it predates the current template (flags,
 * --check-cds) and is reinstalled. Bump the number whenever launcherScript() changes.
 */
export const LAUNCHER_MARKER = 'temporal/binaries.ts launcher v5';

/**
 * JVM flags for the test server. The SDK kills the server unless it answers within 5 s, and tests start many, so
 * start-up time is what matters, not peak throughput: C1 only (no C2 compile threads), the serial GC (no parallel GC
 * worker threads to spin up), smaller thread stacks, no hsperfdata mmap file, and JVM logging sent to stderr so a
 * stale-archive warning never lands on the server's stdout.
 */
const JVM_FLAGS = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Xss512k',
  '-XX:-UsePerfData',
  '-Xlog:disable',
  '-Xlog:all=warning:stderr',
];

/** Default cache root: `<repo>/.temporal` (git-ignored). */
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.temporal');

/** Where the cached CLI lives inside a cache root. */
export function cachedCliPath(cacheDir: string = DEFAULT_CACHE_DIR): string {
  return path.join(cacheDir, 'bin', 'temporal');
}

/** Where the cached test-server launcher lives inside a cache root (its classpath is the sibling `lib/`). */
export function cachedTestServerPath(cacheDir: string = DEFAULT_CACHE_DIR): string {
  return path.join(cacheDir, 'test-server', 'launcher');
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
  isCached: (cacheDir) => isExecutableFile(cachedCliPath(cacheDir)),
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
  buildDescription: `Maven io.temporal:temporal-test-server:${TEST_SERVER_VERSION} (mvn -f temporal/test-server/pom.xml)`,
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

// ---------------------------------------------------------------------------------------------------------------
// Checks

async function isExecutableFile(file: string): Promise<boolean> {
  return (await executableProblem(file)) === undefined;
}

/** Why `file` cannot be spawned, or undefined if it can. */
async function executableProblem(file: string): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return 'that file does not exist';
  }
  if (!stat.isFile()) return 'that is not a regular file';
  try {
    await fs.access(file, fsConstants.X_OK);
  } catch {
    return 'that file is not executable (chmod +x it)';
  }
  return undefined;
}

async function isTestServerCached(cacheDir: string): Promise<boolean> {
  const dir = path.join(cacheDir, 'test-server');
  const launcher = path.join(dir, 'launcher');
  if (!(await isExecutableFile(launcher))) return false;
  if (!(await fs.readFile(launcher, 'utf8')).includes(LAUNCHER_MARKER)) return false;
  // The jar name pins the version, so bumping TEST_SERVER_VERSION invalidates an older cache.
  return fileExists(path.join(dir, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`));
}

/**
 * Deletes leftovers of killed installs (temp dirs, half-written archives). Only day-old ones: a younger one may
 * belong to a build another process is running right now.
 */
async function removeStaleTemps(dir: string, prefixes: string[]): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of entries.filter((n) => prefixes.some((p) => n.startsWith(p)))) {
    const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > 24 * 3600_000) {
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SDK download probe

/**
 * Asks temporal.download the same question the SDK asks before downloading (sdk-core's
 * `ephemeral_server::get_or_download`), then checks the archive it points to is reachable, all within ~3 s.
 */
async function probeSdkDownload(spec: BinarySpec): Promise<boolean> {
  const platform =
    process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'windows' : 'linux';
  const arch =
    process.arch === 'x64'
      ? 'amd64'
      : process.arch === 'arm64' || process.arch === 'arm'
        ? 'arm64'
        : undefined;
  if (!arch) return false;
  const params = new URLSearchParams({ arch, platform });
  if (spec.format) params.set('format', spec.format);
  params.set('sdk-name', 'sdk-typescript');
  params.set('sdk-version', sdkVersion());
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const res = await fetch(`${DOWNLOAD_HOST}/${spec.artifact}/default?${params}`, { signal });
    if (!res.ok) return false;
    const info = (await res.json()) as { archiveUrl?: unknown };
    if (typeof info.archiveUrl !== 'string') return false;
    const archive = await fetch(info.archiveUrl, { method: 'HEAD', signal });
    return archive.ok;
  } catch {
    return false;
  }
}

function sdkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    // The package's `exports` hide package.json, so walk up from its entry point.
    const entry = require.resolve('@temporalio/testing');
    const pkg = require(path.join(path.dirname(entry), '..', 'package.json')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Builders

async function defaultBuild(
  kind: BinaryKind,
  cacheDir: string,
  log: (msg: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (kind === 'cli') await buildCli(cacheDir, log, env);
  else await buildTestServer(cacheDir, log, env);
}

/** `go install` into a private temp GOBIN, then an atomic rename: a killed build never leaves a truncated binary. */
async function buildCli(cacheDir: string, log: (msg: string) => void, env: NodeJS.ProcessEnv): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  await removeStaleTemps(cacheDir, ['.cli-build-']);
  const tmp = await fs.mkdtemp(path.join(cacheDir, '.cli-build-'));
  try {
    log(
      `Building Temporal CLI v${TEMPORAL_CLI_VERSION} with go install (cold: several minutes, ~3 GB of Go module and build cache)`,
    );
    await run(
      'go',
      [
        'install',
        `-ldflags=-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `${CLI_PACKAGE}@v${TEMPORAL_CLI_VERSION}`,
      ],
      {
        // Same flags as the upstream release (.goreleaser.yml): static binary, stripped, real version string.
        env: { ...env, GOBIN: tmp, CGO_ENABLED: '0' },
        cwd: tmp,
        log,
        label: 'go install',
      },
    );
    const built = path.join(tmp, 'temporal');
    const version = (await run(built, ['--version'], { env, label: 'temporal --version' })).trim();
    await fs.mkdir(path.join(cacheDir, 'bin'), { recursive: true });
    await fs.rename(built, cachedCliPath(cacheDir));
    log(`Installed ${cachedCliPath(cacheDir)} (${version})`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Fetches the test server's runtime classpath with Maven into a temp dir, writes a launcher, smoke-tests it, and
 * renames the whole dir into place; then records the AppCDS archive (which must be made at the final path because
 * JDK 17 archives pin absolute classpath entries).
 */
async function buildTestServer(
  cacheDir: string,
  log: (msg: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  await removeStaleTemps(cacheDir, ['.test-server-build-']);
  const java = await findJava(env);
  const tmp = await fs.mkdtemp(path.join(cacheDir, '.test-server-build-'));
  try {
    log(
      `Fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its dependencies from Maven Central`,
    );
    await run(
      'mvn',
      [
        '-B',
        '-q',
        '-ntp',
        '-Dstyle.color=never',
        '-f',
        POM_PATH,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${path.join(tmp, 'lib')}`,
      ],
      { env, cwd: tmp, log, label: 'mvn dependency:copy-dependencies' },
    );
    const jars = (await fs.readdir(path.join(tmp, 'lib'))).filter((f) => f.endsWith('.jar')).sort();
    if (!jars.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`)) {
      throw new Error(
        `Maven finished but lib/ has no temporal-test-server-${TEST_SERVER_VERSION}.jar; does temporal/test-server/pom.xml pin ${TEST_SERVER_VERSION}?`,
      );
    }
    await fs.writeFile(path.join(tmp, 'launcher'), launcherScript(java, jars), { mode: 0o755 });
    // mkdtemp creates 0700; the cache should be readable like any other checkout file.
    await fs.chmod(tmp, 0o755);
    await smokeTest(path.join(tmp, 'launcher'), env, log);

    const dest = path.join(cacheDir, 'test-server');
    // An older or incomplete copy is moved aside first: rename cannot replace a non-empty directory.
    if (await fileExists(dest)) {
      await fs.rename(dest, `${tmp}.old`);
      await fs.rm(`${tmp}.old`, { recursive: true, force: true });
    }
    await fs.rename(tmp, dest);
    log(
      `Installed ${path.join(dest, 'launcher')} (${jars.length} jars, java ${java.path}, Java ${java.major})`,
    );
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  // The archive only speeds start-up; without it the installed launcher works, so a failure here is a warning.
  await ensureCdsArchive({ cacheDir, log, env }).catch((err: unknown) =>
    log(`Warning: no AppCDS archive (the test server starts slower): ${errorMessage(err)}`),
  );
}

interface Java {
  path: string;
  major: number;
}

/** The JVM the launcher will run: $JAVA_HOME first (what Maven uses too), else `java` on PATH. */
async function findJava(env: NodeJS.ProcessEnv): Promise<Java> {
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(path.join(env.JAVA_HOME, 'bin', 'java'));
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean))
    candidates.push(path.join(dir, 'java'));
  for (const candidate of candidates) {
    if (!(await isExecutableFile(candidate))) continue;
    const out = await run(candidate, ['-version'], {
      env,
      label: 'java -version',
      stderrToResult: true,
    }).catch(() => '');
    const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
    if (!m) continue;
    // Java 8 and older report "1.x".
    const major = m[1] === '1' && m[2] ? Number(m[2]) : Number(m[1]);
    // Resolve symlinks (e.g. /usr/bin/java -> alternatives) so the launcher keeps using this exact JVM.
    return { path: realpathSync(candidate), major };
  }
  throw new Error(
    'no `java` found in $JAVA_HOME/bin or on PATH (the test server needs a JDK/JRE, 17+ recommended)',
  );
}

/**
 * If whoever started the server dies without stopping it (mocha killed by a timeout, `--exit` before teardown), the
 * SDK's kill never comes and the JVM would linger as an orphan holding ~150 MB. A tiny watchdog subshell outlives the
 * `exec` below (it keeps polling our pid, which java inherits) and sends SIGTERM once the parent is gone; it exits by
 * itself when java does. Its stdio is detached so it never holds the parent's pipes open.
 */
const WATCHDOG = `parent=$PPID pid=$$
( while kill -0 "$parent" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done; kill "$pid" 2>/dev/null ) </dev/null >/dev/null 2>&1 &`;

/**
 * POSIX sh launcher. `exec` matters: the SDK stops the server by killing the process it spawned, and a shell that
 * merely forked java would die alone and leave the JVM holding the port.
 */
function launcherScript(java: Java, jars: string[]): string {
  const cp = jars.map((j) => `$dir/lib/${j}`).join(':');
  // AppCDS dynamic archives need JDK 13+; on older JVMs the launcher simply never looks for one.
  const cds = java.major >= 13;
  return `#!/bin/sh
# Generated by ${LAUNCHER_MARKER} -- starts io.temporal:temporal-test-server:${TEST_SERVER_VERSION}.
# Usage: launcher <port> [extra args]   (the Temporal SDK passes the port as the first argument)
# Env: TEMPORAL_TEST_SERVER_JAVA_OPTS = extra JVM flags; TEMPORAL_TEST_SERVER_CDS=off = ignore the AppCDS archive.
set -e
self=$(readlink -f -- "$0" 2>/dev/null || printf '%s' "$0")
dir=$(CDPATH= cd -- "$(dirname -- "$self")" && pwd -P)
java='${java.path.replace(/'/g, `'\\''`)}'
# Fall back to PATH if the JVM this was installed with has gone (the archive is then ignored as stale).
[ -x "$java" ] || java=java
cp="${cp}"
${
  cds
    ? `# "launcher --check-cds" exits 0 only if the JVM maps the archive (-Xshare:on fails rather than falling back);
# -version must come after -cp, because the java launcher stops parsing options at -version.
if [ "\${1:-}" = --check-cds ]; then
  exec "$java" ${JVM_FLAGS.join(' ')} -Xshare:on "-XX:SharedArchiveFile=$dir/${CDS_ARCHIVE}" -cp "$cp" -version
fi
${WATCHDOG}
# The archive is written elsewhere and renamed in, so it is either complete or absent; a stale one (other JDK,
# changed jars) is rejected by the JVM itself under -Xshare:auto and the server starts without it.
if [ -f "$dir/${CDS_ARCHIVE}" ] && [ "\${TEMPORAL_TEST_SERVER_CDS:-on}" != off ]; then
  exec "$java" ${JVM_FLAGS.join(' ')} -Xshare:auto "-XX:SharedArchiveFile=$dir/${CDS_ARCHIVE}" $TEMPORAL_TEST_SERVER_JAVA_OPTS -cp "$cp" ${TEST_SERVER_MAIN} "$@"
fi
`
    : WATCHDOG + '\n'
}exec "$java" ${JVM_FLAGS.join(' ')} $TEMPORAL_TEST_SERVER_JAVA_OPTS -cp "$cp" ${TEST_SERVER_MAIN} "$@"
`;
}

/** Starts the launcher on a free port and waits for it to listen, so a broken install fails here, not in a test. */
async function smokeTest(
  launcher: string,
  env: NodeJS.ProcessEnv,
  log: (msg: string) => void,
): Promise<void> {
  const server = await startServer(launcher, { ...env, TEMPORAL_TEST_SERVER_CDS: 'off' });
  try {
    const ms = await server.listening;
    log(`Test server smoke test: listening after ${ms} ms (without AppCDS)`);
  } finally {
    await server.stop('SIGKILL');
  }
}

/** Options for {@link ensureCdsArchive}. */
export interface CdsOptions {
  /** Cache root holding `test-server/`; defaults to `<repo>/.temporal`. */
  cacheDir?: string;
  /** Progress sink; defaults to stderr. */
  log?: (msg: string) => void;
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
  log: (msg: string) => void,
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

// ---------------------------------------------------------------------------------------------------------------
// Processes

interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  log?: (msg: string) => void;
  label: string;
  /** Return stderr along with stdout (java -version prints to stderr). */
  stderrToResult?: boolean;
}

/** Runs a command to completion; heartbeats every 30 s so a multi-minute build does not look hung. */
async function run(cmd: string, args: string[], opts: RunOptions): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let tail = '';
    let downloads = 0;
    const onData = (toResult: boolean) => (chunk: Buffer) => {
      const text = chunk.toString();
      if (toResult) out += text;
      downloads += text.match(/^go: downloading /gm)?.length ?? 0;
      // Keep only the end: that is where go/mvn put the actual error.
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(opts.stderrToResult ?? false));
    const heartbeat = opts.log
      ? setInterval(() => {
          const secs = Math.round((Date.now() - started) / 1000);
          opts.log?.(
            `  ${opts.label}: still running (${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s${downloads ? `, ${downloads} modules downloaded` : ''})`,
          );
        }, 30_000)
      : undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `\`${cmd}\` not found on PATH`
            : `${opts.label} failed to start: ${err.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(out);
      else reject(new Error(`${opts.label} exited with ${signal ?? `code ${code}`}:\n${tail.trim()}`));
    });
  });
}

interface RunningServer {
  port: number;
  /** Resolves with start-to-listen in ms; rejects if the process exits first or takes over 20 s. */
  listening: Promise<number>;
  stop: (signal: NodeJS.Signals) => Promise<void>;
}

async function startServer(launcher: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(launcher, [String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let done = false;
  const listening = (async () => {
    while (Date.now() - started < 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await canConnect(port)) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(
      `test server (${launcher}) did not listen on port ${port}: ${done ? 'stopped' : child.exitCode !== null ? `exited with code ${child.exitCode}` : 'timed out after 20 s'}\n${stderr.trim()}`,
    );
  })();
  // Callers that only await stop() must not trip an unhandled rejection.
  listening.catch(() => undefined);
  return {
    port,
    listening,
    stop: async (signal) => {
      done = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A JVM dumping its archive on SIGTERM takes a few seconds; never wait forever though.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    // 0.0.0.0 mirrors the SDK, which picks the test server's port the same way.
    srv.listen(0, '0.0.0.0', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers and script entry point

function defaultLog(msg: string): void {
  process.stderr.write(`[temporal] ${msg}\n`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n     ');
}

function describe(exe: ServerExecutable): string {
  return exe.type === 'existing-path' ? exe.path : 'SDK download from temporal.download (on first use)';
}

/** Script entry: resolves (installing if needed) and verifies both binaries; `--quiet` prints only slow-step progress and errors. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const quiet = argv.includes('--quiet');
  const info = quiet ? () => undefined : defaultLog;
  const env = process.env;
  const failures: string[] = [];

  // Each binary independently: a machine without Go should still get (and report on) the test server.
  try {
    const cli = await resolveTemporalCli({ log: defaultLog, env });
    if (cli.type === 'existing-path') {
      const version = (await run(cli.path, ['--version'], { env, label: `${cli.path} --version` })).trim();
      info(`Temporal CLI: ${cli.path} (${version})`);
    } else info(`Temporal CLI: ${describe(cli)}`);
  } catch (err) {
    failures.push(errorMessage(err));
  }

  try {
    const server = await resolveTestServer({ log: defaultLog, env });
    info(`Test server: ${describe(server)}`);
    // Only our own cache has an archive to maintain; a TEMPORAL_TEST_SERVER_PATH binary is the user's business.
    if (server.type === 'existing-path' && !env.TEMPORAL_TEST_SERVER_PATH) {
      const cds = await ensureCdsArchive({ log: defaultLog, env, measure: !quiet }).catch((err: unknown) => {
        defaultLog(`Warning: no AppCDS archive (the test server starts slower): ${errorMessage(err)}`);
        return undefined;
      });
      if (cds?.used && cds.listenMs !== undefined) {
        info(
          `  AppCDS archive in use: ${cds.sharedClasses}/${cds.totalClasses} classes mapped from CDS (${cds.appArchiveClasses} from ours), listening after ${cds.listenMs} ms`,
        );
      } else if (cds?.used) info('  AppCDS archive in use');
      else if (cds) info('  AppCDS archive not in use (JDK < 13?); the test server starts without it');
    }
  } catch (err) {
    failures.push(errorMessage(err));
  }

  if (failures.length) throw new Error(failures.join('\n\n'));
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    process.stderr.write(`[temporal] ${errorMessage(err)}\n`);
    process.exitCode = 1;
  });
}
