import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** Builds the browser app (Vite, a dev dependency) when web/dist is missing or stale; false when it was fresh. */
export async function ensureWebBuild(): Promise<boolean> {
  if (!webBuildStale()) return false;
  const { build } = await import('vite');
  await build({ root: webDir, logLevel: 'warn' });
  return true;
}
