/**
 * `npm run temporal:install` (and the first step of `npm test`): resolves, installing if needed, and verifies both
 * Temporal binaries; `--quiet` prints only slow-step progress and errors.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ensureCdsArchive } from './appCds';
import { defaultLog, errorMessage } from './log';
import { run } from './processes';
import { resolveTemporalCli, resolveTestServer, type ServerExecutable } from './resolve';

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
