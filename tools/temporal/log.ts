/** Progress sink of the install steps: slow steps (builds, downloads) print to stderr. */
export type Log = (msg: string) => void;

/** The default progress sink. */
export function defaultLog(msg: string): void {
  process.stderr.write(`[temporal] ${msg}\n`);
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
