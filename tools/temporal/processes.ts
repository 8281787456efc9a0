import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Log } from './log';

/** How {@link run} runs a command. */
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  log?: Log;
  label: string;
  /** Return stderr along with stdout (java -version prints to stderr). */
  stderrToResult?: boolean;
}

/** Runs a command to completion; heartbeats every 30 s so a multi-minute build does not look hung. */
export async function run(cmd: string, args: string[], opts: RunOptions): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let tail = '';
    let downloads = 0;
    const onData = (toResult: boolean) => (chunk: Buffer) => {
      const text = chunk.toString();
      if (toResult) out += text;
      downloads += text.match(/^go: downloading /gm)?.length ?? 0;
      // Keep only the end: that is where go/mvn put the actual error.
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(opts.stderrToResult ?? false));
    const heartbeat = opts.log
      ? setInterval(() => {
          const secs = Math.round((Date.now() - started) / 1000);
          opts.log?.(
            `  ${opts.label}: still running (${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s${downloads ? `, ${downloads} modules downloaded` : ''})`,
          );
        }, 30_000)
      : undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `\`${cmd}\` not found on PATH`
            : `${opts.label} failed to start: ${err.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(out);
      else reject(new Error(`${opts.label} exited with ${signal ?? `code ${code}`}:\n${tail.trim()}`));
    });
  });
}

/** A test server started by {@link startServer}. */
export interface RunningServer {
  port: number;
  /** Resolves with start-to-listen in ms; rejects if the process exits first or takes over 20 s. */
  listening: Promise<number>;
  stop: (signal: NodeJS.Signals) => Promise<void>;
}

/** Spawns `launcher <port>` on a free port; `listening` says when (and whether) it accepts connections. */
export async function startServer(launcher: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(launcher, [String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let done = false;
  const listening = (async () => {
    while (Date.now() - started < 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await canConnect(port)) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(
      `test server (${launcher}) did not listen on port ${port}: ${done ? 'stopped' : child.exitCode !== null ? `exited with code ${child.exitCode}` : 'timed out after 20 s'}\n${stderr.trim()}`,
    );
  })();
  // Callers that only await stop() must not trip an unhandled rejection.
  listening.catch(() => undefined);
  return {
    port,
    listening,
    stop: async (signal) => {
      done = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A JVM dumping its archive on SIGTERM takes a few seconds; never wait forever though.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    // 0.0.0.0 mirrors the SDK, which picks the test server's port the same way.
    srv.listen(0, '0.0.0.0', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
