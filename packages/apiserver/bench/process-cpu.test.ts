import { describe, expect, it } from 'vitest';
import { cpuTicks, processCpuMs } from './process-cpu.ts';

describe('cpuTicks', () => {
  it('adds utime and stime, whatever the command name holds', () => {
    const rest = 'S 1 2 3 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 2000 18446744073709551615';
    expect(cpuTicks(`4242 (node) ${rest}`)).toBe(1234 + 567);
    expect(cpuTicks(`4242 (my (odd) name) ${rest}`)).toBe(1234 + 567);
  });
});

describe('processCpuMs', () => {
  it('reads this process, which has used some CPU, and nothing for a missing one', () => {
    if (process.platform !== 'linux') return;
    expect(processCpuMs(process.pid)).toBeGreaterThan(0);
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
  });
});
