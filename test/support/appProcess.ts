import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { rootDir } from '../../app/config';

/** One of the project's entry points (app/start.ts, app/api.ts, ...) running as its own process, as npm runs it. */
export interface AppProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches pattern; rejects if the process exits first or timeoutMs passes. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends signal and resolves with the exit code (null when killed by a signal) and the signal. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: string | null }>;
}

/** Starts `tsx <script>` from the repository root with env added to this process's environment. */
export function spawnApp(script: string, env: Record<string, string>): AppProcess {
  const tsx = path.join(rootDir, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script], {
    cwd: rootDir,
    // A clean NODE_ENV: the test runner's own must not leak into the app's choice of defaults.
    env: { ...process.env, NODE_ENV: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 240_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`process exited (${signal ?? code}) before ${pattern}; output:\n${out}`));
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 60_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
