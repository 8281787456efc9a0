import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** True when `file` is a regular file we may execute. */
export async function isExecutableFile(file: string): Promise<boolean> {
  return (await executableProblem(file)) === undefined;
}

/** Why `file` cannot be spawned, or undefined if it can. */
export async function executableProblem(file: string): Promise<string | undefined> {
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

/** True when `file` exists. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes leftovers of killed installs (temp dirs, half-written archives). Only day-old ones: a younger one may
 * belong to a build another process is running right now.
 */
export async function removeStaleTemps(dir: string, prefixes: string[]): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of entries.filter((n) => prefixes.some((p) => n.startsWith(p)))) {
    const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > 24 * 3600_000) {
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}
