import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { cachedCliPath, cachedTestServerPath } from '../../../tools/temporal/cache';
import { LAUNCHER_MARKER } from '../../../tools/temporal/launcher';
import { resolveTemporalCli, resolveTestServer, type ResolveOptions } from '../../../tools/temporal/resolve';
import { TEST_SERVER_VERSION } from '../../../tools/temporal/versions';

/** Fake executable: the resolvers only check it exists and is executable (and, for our launcher, its marker); they never run it. */
async function writeExecutable(file: string, mode = 0o755): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `#!/bin/sh\n# ${LAUNCHER_MARKER}\nexit 0\n`, { mode });
  return file;
}

/** Populates a cache root the way a finished install leaves it. */
async function fillCache(cacheDir: string): Promise<void> {
  await writeExecutable(cachedCliPath(cacheDir));
  await writeExecutable(cachedTestServerPath(cacheDir));
  await fs.mkdir(path.join(cacheDir, 'test-server', 'lib'), { recursive: true });
  await fs.writeFile(
    path.join(cacheDir, 'test-server', 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`),
    '',
  );
}

describe('tools/temporal/resolve', () => {
  let tmp: string;
  let builds: string[];

  /** Offline options: no env vars, no download host, and a builder that fails (and records that it was asked). */
  function offline(extra: Partial<ResolveOptions> = {}): ResolveOptions {
    return {
      cacheDir: path.join(tmp, 'cache'),
      env: {},
      log: () => undefined,
      probeDownload: async () => false,
      build: async (kind) => {
        builds.push(kind);
        throw new Error(`no ${kind === 'cli' ? 'go' : 'mvn'} on this machine`);
      },
      ...extra,
    };
  }

  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-binaries-'));
    builds = [];
  });

  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  describe('resolution order', () => {
    it('prefers TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH over a cached copy and the download', async () => {
      await fillCache(path.join(tmp, 'cache'));
      const cli = await writeExecutable(path.join(tmp, 'my-temporal'));
      const server = await writeExecutable(path.join(tmp, 'my-test-server'));
      const opts = offline({
        env: { TEMPORAL_CLI_PATH: cli, TEMPORAL_TEST_SERVER_PATH: server },
        probeDownload: async () => true,
      });

      expect(await resolveTemporalCli(opts)).to.deep.equal({ type: 'existing-path', path: cli });
      expect(await resolveTestServer(opts)).to.deep.equal({ type: 'existing-path', path: server });
    });

    it('rejects an env var that points at a missing file, naming the variable', async () => {
      const missing = path.join(tmp, 'nope');
      const opts = offline({
        env: { TEMPORAL_CLI_PATH: missing, TEMPORAL_TEST_SERVER_PATH: missing },
        probeDownload: async () => true,
      });

      await expectRejection(resolveTemporalCli(opts), /TEMPORAL_CLI_PATH.*does not exist/);
      await expectRejection(resolveTestServer(opts), /TEMPORAL_TEST_SERVER_PATH.*does not exist/);
      expect(builds).to.deep.equal([]);
    });

    it('rejects an env var that points at a non-executable file', async () => {
      const plain = await writeExecutable(path.join(tmp, 'not-exec'), 0o644);
      await expectRejection(
        resolveTemporalCli(offline({ env: { TEMPORAL_CLI_PATH: plain } })),
        /TEMPORAL_CLI_PATH.*not executable/,
      );
    });

    it('uses the cached copy under the cache dir when present', async () => {
      const cacheDir = path.join(tmp, 'cache');
      await fillCache(cacheDir);

      expect(await resolveTemporalCli(offline())).to.deep.equal({
        type: 'existing-path',
        path: cachedCliPath(cacheDir),
      });
      expect(await resolveTestServer(offline())).to.deep.equal({
        type: 'existing-path',
        path: cachedTestServerPath(cacheDir),
      });
      expect(builds).to.deep.equal([]);
    });

    it('ignores a test-server cache without the pinned test-server jar (e.g. an older version)', async () => {
      const cacheDir = path.join(tmp, 'cache');
      await writeExecutable(cachedTestServerPath(cacheDir));
      await fs.mkdir(path.join(cacheDir, 'test-server', 'lib'));
      await fs.writeFile(path.join(cacheDir, 'test-server', 'lib', 'temporal-test-server-1.0.0.jar'), '');

      expect(await resolveTestServer(offline({ probeDownload: async () => true }))).to.deep.equal({
        type: 'cached-download',
      });
    });

    it('falls back to the SDK download when nothing is cached and the download host answers', async () => {
      const opts = offline({ probeDownload: async () => true });

      expect(await resolveTemporalCli(opts)).to.deep.equal({ type: 'cached-download' });
      expect(await resolveTestServer(opts)).to.deep.equal({ type: 'cached-download' });
      expect(builds).to.deep.equal([]);
    });

    it('builds into the cache when the download host is unreachable, sharing one build between concurrent callers', async () => {
      const cacheDir = path.join(tmp, 'cache');
      const opts = offline({
        build: async (kind, dir) => {
          builds.push(kind);
          await new Promise((r) => setTimeout(r, 20));
          await writeExecutable(cachedCliPath(dir));
        },
      });

      const results = await Promise.all([resolveTemporalCli(opts), resolveTemporalCli(opts)]);
      for (const r of results)
        expect(r).to.deep.equal({ type: 'existing-path', path: cachedCliPath(cacheDir) });
      expect(builds).to.deep.equal(['cli']);
    });

    it('lists everything it tried, and how to provide a binary, when nothing works', async () => {
      const cli = await expectRejection(resolveTemporalCli(offline()));
      expect(cli.message).to.include('TEMPORAL_CLI_PATH: not set');
      expect(cli.message).to.include('cached copy');
      expect(cli.message).to.include('SDK download');
      expect(cli.message).to.include('go install github.com/temporalio/cli/cmd/temporal@v1.5.1');
      expect(cli.message).to.include('no go on this machine');
      expect(cli.message).to.match(/To fix: set TEMPORAL_CLI_PATH/);

      const server = await expectRejection(resolveTestServer(offline()));
      expect(server.message).to.include('TEMPORAL_TEST_SERVER_PATH: not set');
      expect(server.message).to.include(`io.temporal:temporal-test-server:${TEST_SERVER_VERSION}`);
      expect(server.message).to.include('no mvn on this machine');
      expect(server.message).to.match(/To fix: set TEMPORAL_TEST_SERVER_PATH/);
      expect(builds).to.deep.equal(['cli', 'test-server']);
    });
  });

  // Real binaries: `npm test` runs `tsx tools/temporal/install.ts` first, so these normally hit the cache.
  describe('with the real binaries', () => {
    it('starts and tears down the time-skipping test server', async function () {
      this.timeout(600_000);
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: await resolveTestServer() },
      });
      try {
        expect(env.supportsTimeSkipping).to.equal(true);
        const before = (await env.currentTimeMs()) as number;
        await env.sleep('1 day');
        expect((await env.currentTimeMs()) - before).to.be.at.least(86_400_000);
      } finally {
        await env.teardown();
      }
    });

    it('starts the test server from a launcher whose AppCDS archive is missing or stale', async function () {
      this.timeout(600_000);
      const exe = await resolveTestServer();
      const launcher = exe.type === 'existing-path' ? exe.path : undefined;
      if (!launcher || !(await fs.readFile(launcher, 'utf8')).includes(LAUNCHER_MARKER)) this.skip();
      // A copy in another directory: without an archive, then with the original archive, which is stale there because
      // JDK 17 archives pin absolute classpath entries. Either way the JVM must start (just without the speed-up).
      const copy = path.join(tmp, 'ts');
      await fs.mkdir(copy);
      await fs.copyFile(launcher, path.join(copy, 'launcher'));
      await fs.symlink(path.join(path.dirname(launcher), 'lib'), path.join(copy, 'lib'));
      for (const withStaleArchive of [false, true]) {
        if (withStaleArchive)
          await fs
            .copyFile(
              path.join(path.dirname(launcher), 'test-server.jsa'),
              path.join(copy, 'test-server.jsa'),
            )
            .catch(() => undefined);
        const env = await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: { type: 'existing-path', path: path.join(copy, 'launcher') } },
        });
        await env.teardown();
      }
    });

    it('starts and tears down the dev server (Temporal CLI)', async function () {
      this.timeout(900_000);
      const env = await TestWorkflowEnvironment.createLocal({
        server: { executable: await resolveTemporalCli() },
      });
      try {
        const info = await env.connection.workflowService.getSystemInfo({});
        expect(info.serverVersion).to.be.a('string');
      } finally {
        await env.teardown();
      }
    });
  });
});

/** Awaits a promise that must reject, optionally checking the message, and returns the error. */
async function expectRejection(promise: Promise<unknown>, message?: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    if (message) expect((err as Error).message).to.match(message);
    return err as Error;
  }
  throw new Error('expected a rejection');
}
