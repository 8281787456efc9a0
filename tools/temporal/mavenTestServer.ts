/**
 * Fetches the Java time-skipping test server's runtime classpath from Maven Central into the cache, with a
 * launcher, for machines where temporal.download is unreachable.
 */
import { realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ensureCdsArchive } from './appCds';
import { REPO_ROOT } from './cache';
import { fileExists, isExecutableFile, removeStaleTemps } from './files';
import { launcherScript, type Java } from './launcher';
import { errorMessage, type Log } from './log';
import { run, startServer } from './processes';
import { TEST_SERVER_VERSION } from './versions';

const POM_PATH = path.join(REPO_ROOT, 'tools', 'temporal', 'test-server', 'pom.xml');

/**
 * Fetches the test server's runtime classpath with Maven into a temp dir, writes a launcher, smoke-tests it, and
 * renames the whole dir into place; then records the AppCDS archive (which must be made at the final path because
 * JDK 17 archives pin absolute classpath entries).
 */
export async function buildTestServer(cacheDir: string, log: Log, env: NodeJS.ProcessEnv): Promise<void> {
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
        `Maven finished but lib/ has no temporal-test-server-${TEST_SERVER_VERSION}.jar; does tools/temporal/test-server/pom.xml pin ${TEST_SERVER_VERSION}?`,
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

/** Starts the launcher on a free port and waits for it to listen, so a broken install fails here, not in a test. */
async function smokeTest(launcher: string, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  const server = await startServer(launcher, { ...env, TEMPORAL_TEST_SERVER_CDS: 'off' });
  try {
    const ms = await server.listening;
    log(`Test server smoke test: listening after ${ms} ms (without AppCDS)`);
  } finally {
    await server.stop('SIGKILL');
  }
}
