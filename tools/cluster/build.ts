/**
 * Builds the Temporal server, its SQL tool and the UI server from the Go module proxy, once per version, into
 * .temporal/cluster/. They are built in a scratch module whose go.mod is the CLI's own (the server and UI versions
 * it pins), with the CLI's CGO_ENABLED=0, so Go's build cache from `npm run temporal:install` serves most of it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CACHE_DIR } from '../temporal/cache';
import { isExecutableFile, removeStaleTemps } from '../temporal/files';
import type { Log } from '../temporal/log';
import { run } from '../temporal/processes';
import {
  CLI_MODULE,
  GO_PACKAGES,
  SCHEMA_DIR,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from './versions';

/** The built binaries and the schema folder that goes with the server. */
export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  ui: string;
  /** <server module>/schema/postgresql/v12 in Go's module cache. */
  schemaDir: string;
}

/** Where one version's binaries live: a new version is a new folder, so a bump rebuilds. */
export function binariesDir(cacheDir = DEFAULT_CACHE_DIR): string {
  return path.join(cacheDir, 'cluster', `server-${TEMPORAL_SERVER_VERSION}-ui-${TEMPORAL_UI_VERSION}`);
}

/** The module's folder in Go's module cache, downloading it when missing. */
async function moduleDir(module: string, env: NodeJS.ProcessEnv, log?: Log): Promise<string> {
  const out = await run('go', ['mod', 'download', '-json', module], {
    env,
    log,
    label: `go mod download ${module}`,
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** Returns the cached binaries, building those that are missing (a killed build leaves none half-written). */
export async function ensureClusterBinaries(
  opts: { cacheDir?: string; log?: Log; env?: NodeJS.ProcessEnv } = {},
): Promise<ClusterBinaries> {
  const env = { ...(opts.env ?? process.env), CGO_ENABLED: '0' };
  const log = opts.log ?? (() => {});
  const dir = binariesDir(opts.cacheDir);
  const target = (name: keyof typeof GO_PACKAGES) => path.join(dir, name);
  const names = Object.keys(GO_PACKAGES) as (keyof typeof GO_PACKAGES)[];
  const missing: (keyof typeof GO_PACKAGES)[] = [];
  for (const name of names) if (!(await isExecutableFile(target(name)))) missing.push(name);

  if (missing.length) {
    await fs.mkdir(dir, { recursive: true });
    await removeStaleTemps(dir, ['.build-']);
    const tmp = await fs.mkdtemp(path.join(dir, '.build-'));
    try {
      const t0 = Date.now();
      log(
        `Building ${missing.join(', ')} (Temporal ${TEMPORAL_SERVER_VERSION}, UI ${TEMPORAL_UI_VERSION}) from the Go module proxy: ~20 s with the CLI's Go cache, a few minutes cold`,
      );
      const cli = await moduleDir(CLI_MODULE, env, log);
      for (const file of ['go.mod', 'go.sum']) {
        const text = await fs.readFile(path.join(cli, file), 'utf8');
        await fs.writeFile(
          path.join(tmp, file),
          file === 'go.mod' ? text.replace(/^module .*$/m, 'module booking-temporal-cluster') : text,
        );
      }
      await run('go', ['get', ...missing.map((n) => GO_PACKAGES[n])], {
        env,
        cwd: tmp,
        log,
        label: 'go get',
      });
      for (const name of missing) {
        const pkg = GO_PACKAGES[name].split('@')[0];
        const out = path.join(tmp, name);
        await run('go', ['build', '-ldflags=-s -w', '-o', out, pkg], {
          env,
          cwd: tmp,
          log,
          label: `go build ${name}`,
        });
        await fs.rename(out, target(name));
      }
      log(`Built in ${((Date.now() - t0) / 1000).toFixed(1)} s into ${dir}`);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }
  const server = await moduleDir(`go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`, env, log);
  return {
    server: target('temporal-server'),
    sqlTool: target('temporal-sql-tool'),
    ui: target('temporal-ui-server'),
    schemaDir: path.join(server, SCHEMA_DIR),
  };
}
