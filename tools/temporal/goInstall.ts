/** Builds the Temporal CLI from its Go module into the cache, for machines where temporal.download is unreachable. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { cachedCliPath } from './cache';
import { removeStaleTemps } from './files';
import type { Log } from './log';
import { run } from './processes';
import { TEMPORAL_CLI_VERSION } from './versions';

/** The CLI's Go package, as `go install` names it. */
export const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** `go install` into a private temp GOBIN, then an atomic rename: a killed build never leaves a truncated binary. */
export async function buildCli(cacheDir: string, log: Log, env: NodeJS.ProcessEnv): Promise<void> {
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
