// CPU time the store processes used, read from /proc (Linux): on a shared machine, the CPU a
// store spends per operation depends far less on other work than its throughput does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * User + system CPU ticks of all threads of the process in a /proc/<pid>/stat line. The command
 * name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are
 * counted from the last ')': utime and stime are fields 14 and 15.
 */
export function cpuTicksFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state).
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** CPU milliseconds used so far by the processes `pids`, added up; a process that is gone counts 0. */
export function cpuMsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      ticks += cpuTicksFromStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // Exited between the phases: its CPU is no longer on record.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
