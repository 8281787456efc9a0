import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { rootDir } from './config';

const webDir = path.join(rootDir, 'web');

/** The newest modification time under dir (files only), 0 when it does not exist. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** True when web/dist is missing or older than the app's sources. */
export function webBuildStale(): boolean {
  const index = path.join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newest(path.join(webDir, 'src')),
    ...['index.html', 'vite.config.ts'].map((f) => statSync(path.join(webDir, f)).mtimeMs),
  );
  return sources > statSync(index).mtimeMs;
}

/**
 * Builds the browser app (Vite, a dev dependency) when web/dist is missing or stale; false when it was fresh.
 *
 * Always in a child process: Vite's build sets process.env.NODE_ENV = 'production' in the process that runs it,
 * and React picks its development or production build from that variable at each first import, so a build run
 * in the server's own process leaves react-email rendering with mismatched halves of React and every email
 * failing ("dispatcher.getOwner is not a function").
 */
export async function ensureWebBuild(): Promise<boolean> {
  if (!webBuildStale()) return false;
  const vite = path.join(
    path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', webDir, '--logLevel', 'warn'], {
      cwd: rootDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`building the browser app failed (vite exited with ${signal ?? `code ${code}`})`)),
    );
  });
  return true;
}
