/**
 * One process of the cluster: spawned in a process group of its own (so a Ctrl-C in the terminal reaches only the
 * supervisor, which stops everything in order), its output appended to a log file, its pid recorded so that
 * `stack:cluster down` and `status` from another terminal find it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What `status` and `down` read from pids/<name>.json. */
export interface PidRecord {
  name: string;
  pid: number;
  command: string;
}

/**
 * Running and not a zombie. A child killed with -9 stays a zombie (state Z) until its parent reaps it, and
 * `kill -0` still succeeds on a zombie, so only the process state tells the truth.
 */
export function processAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state follows the command name, which is in parentheses and may itself contain ") ".
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** True when pid is alive and still runs command (a recorded pid may have been reused since). */
export function recordStillRuns(record: PidRecord): boolean {
  if (!processAlive(record.pid)) return false;
  try {
    return fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes(record.command);
  } catch {
    return false;
  }
}

/** Sends signal to a recorded process and waits for it to go, SIGKILL after graceMs. */
export async function stopRecorded(
  record: PidRecord,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<boolean> {
  if (!recordStillRuns(record)) return false;
  process.kill(record.pid, signal);
  const deadline = Date.now() + graceMs;
  while (processAlive(record.pid)) {
    if (Date.now() > deadline) {
      process.kill(record.pid, 'SIGKILL');
      await sleep(200);
      break;
    }
    await sleep(100);
  }
  return true;
}

/** How a cluster process is started. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /** The signal that stops it cleanly, and how long it gets before SIGKILL. */
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
}

/** A cluster process that can be started, killed with any signal and started again. */
export class ClusterProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Called when the process ends without stop() or kill() asking it to. */
  onUnexpectedExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | null = null;
  private expectingExit = false;

  constructor(
    readonly spec: ProcessSpec,
    private readonly dirs: { logs: string; pids: string },
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get logFile(): string {
    return path.join(this.dirs.logs, `${this.spec.name}.log`);
  }

  private get pidFile(): string {
    return path.join(this.dirs.pids, `${this.spec.name}.json`);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** By process state, not by our bookkeeping: a -9'd process is dead the moment the kernel says so. */
  get alive(): boolean {
    return this.child?.pid !== undefined && processAlive(this.child.pid);
  }

  /** Bytes in the log so far: pass to waitForLine to look only at what comes after. */
  logOffset(): number {
    try {
      return fs.statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  start(): void {
    if (this.alive) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    fs.mkdirSync(this.dirs.logs, { recursive: true });
    fs.mkdirSync(this.dirs.pids, { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    if (this.spec.uid !== undefined) fs.fchownSync(out, this.spec.uid, this.spec.gid ?? this.spec.uid);
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      uid: this.spec.uid,
      gid: this.spec.gid,
      detached: true,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    if (child.pid === undefined) throw new Error(`${this.name} did not start (${this.spec.command})`);
    this.child = child;
    this.expectingExit = false;
    const record: PidRecord = { name: this.name, pid: child.pid, command: this.spec.command };
    fs.writeFileSync(this.pidFile, JSON.stringify(record));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          this.child = null;
          fs.rmSync(this.pidFile, { force: true });
          if (!this.expectingExit) this.onUnexpectedExit?.(code, signal);
        }
        resolve();
      });
    });
  }

  /** Sends signal and waits for the exit; a process still there after graceMs gets SIGKILL. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = this.spec.graceMs ?? 30_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    const exited = this.exited;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL without waiting: for a process 'exit' handler, where nothing asynchronous runs any more. */
  killNow(): void {
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
  }

  /** Stops it the clean way (its stop signal, then SIGKILL after its grace). */
  stop(): Promise<void> {
    return this.kill(this.spec.stopSignal ?? 'SIGTERM');
  }

  /** Waits until the log, from offset on, has a line matching pattern; fails early if the process ends. */
  async waitForLine(pattern: RegExp, offset: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = readFrom(this.logFile, offset);
      if (pattern.test(text)) return;
      if (!this.alive)
        throw new Error(`${this.name} exited; the end of ${this.logFile}:\n${text.slice(-2000)}`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.name} did not log ${pattern} within ${timeoutMs / 1000} s (see ${this.logFile})`,
        );
      await sleep(200);
    }
  }

  /** The end of its log, for error messages. */
  tail(chars = 2000): string {
    const text = readFrom(this.logFile, Math.max(0, this.logOffset() - chars));
    return text.slice(-chars);
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
