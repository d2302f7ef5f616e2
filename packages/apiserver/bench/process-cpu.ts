// CPU time a process has used, from Linux's /proc/<pid>/stat (user + system, all threads): what
// each server spent per phase, measured from outside without slowing it down.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of /proc's counters (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds process `pid` has used so far; undefined where /proc is missing (not Linux) or the process is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return (cpuTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * utime + stime of a /proc/<pid>/stat line (fields 14 and 15). The command name, field 2, is in
 * parentheses and may hold spaces and parentheses itself, so fields are counted from its end.
 */
export function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}
