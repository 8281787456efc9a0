/**
 * CPU time of processes from /proc/<pid>/stat (user + system, in 10 ms clock ticks), for benchmarks that charge each
 * part of a stack its share of the work. Linux only, as the machine the figures come from.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields after the command name, which is in parentheses and may itself contain spaces. */
function statFields(pid: number): number[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return null;
  }
}

/** CPU ms of one process so far; with its reaped children's (cutime, cstime) when asked. 0 when it is gone. */
export function processCpuMs(pid: number | null | undefined, withChildren = false): number {
  if (!pid) return 0;
  const f = statFields(pid);
  if (!f) return 0;
  return (f[11] + f[12] + (withChildren ? f[13] + f[14] : 0)) * 10;
}

/** The direct children of pid right now. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (statFields(Number(entry))?.[1] === pid) children.push(Number(entry));
  }
  return children;
}

/**
 * PostgreSQL's CPU ms: the postmaster, its live children (backends, writer, checkpointer) and its reaped children,
 * since a backend that exits moves its time to the postmaster's cutime.
 */
export function postgresCpuMs(postmaster: number | null | undefined): number {
  if (!postmaster) return 0;
  return processCpuMs(postmaster, true) + childPids(postmaster).reduce((n, pid) => n + processCpuMs(pid), 0);
}

/** This process's own CPU ms (the load generator). */
export function ownCpuMs(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1000;
}
