import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { childPids, ownCpuMs, processCpuMs } from '../../bench/support/processCpu';

describe('bench support: CPU time of processes from /proc', () => {
  it("reads a busy child's CPU time as it grows, lists it among its parent's children, and 0 once it is gone", async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    expect(childPids(process.pid)).to.include(child.pid);
    const first = processCpuMs(child.pid);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const later = processCpuMs(child.pid);
    await exited;
    expect(later).to.be.above(first);
    expect(later % 10, 'clock ticks of 10 ms').to.equal(0);
    expect(processCpuMs(child.pid)).to.equal(0);
    expect(processCpuMs(null)).to.equal(0);
  });

  it("counts this process's own time", () => {
    const before = ownCpuMs();
    const end = Date.now() + 50;
    while (Date.now() < end);
    expect(ownCpuMs() - before).to.be.above(20);
  });
});
