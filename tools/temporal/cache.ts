/** Where installed binaries live under `.temporal/`, and when a cached copy counts as installed. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileExists, isExecutableFile } from './files';
import { LAUNCHER_MARKER } from './launcher';
import { TEST_SERVER_VERSION } from './versions';

/** The repository root (this file is tools/temporal/cache.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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

/** Installs are renamed into place only when complete, so an executable CLI means a usable one. */
export function isCliCached(cacheDir: string): Promise<boolean> {
  return isExecutableFile(cachedCliPath(cacheDir));
}

/** A launcher of the current template next to the pinned jar. */
export async function isTestServerCached(cacheDir: string): Promise<boolean> {
  const dir = path.join(cacheDir, 'test-server');
  const launcher = path.join(dir, 'launcher');
  if (!(await isExecutableFile(launcher))) return false;
  if (!(await fs.readFile(launcher, 'utf8')).includes(LAUNCHER_MARKER)) return false;
  // The jar name pins the version, so bumping TEST_SERVER_VERSION invalidates an older cache.
  return fileExists(path.join(dir, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`));
}
