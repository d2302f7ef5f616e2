// The apiserver's CPU profile cut into the bench's phases: the functions that cost most in each.
import fs from 'node:fs';
import path from 'node:path';
import type { Table } from '../../store/bench/tables.ts';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.ts';
import type { PhaseSpan } from './phases.ts';

export interface PhaseProfile {
  phase: string;
  summary: ProfileSummary;
}

/** The main-thread profile node --cpu-prof wrote for process `pid` (files are CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile). */
export function findMainThreadProfile(directory: string, pid: number): string | undefined {
  const name = fs.readdirSync(directory).find((file) => new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`).test(file));
  return name && path.join(directory, name);
}

export function profilePhases(profile: CpuProfile, spans: readonly PhaseSpan[], options: { top: number; sourceRoot: string }): PhaseProfile[] {
  return spans.map((span) => ({ phase: span.phase, summary: summarizeProfile(profile, span.window, options) }));
}

/** "busy 5230 ms of 6000 ms sampled, GC 9%": how much of the phase the main thread was not waiting. */
export function describeProfile({ summary }: PhaseProfile): string {
  const busyMs = summary.sampledMs - summary.idleMs;
  const gc = busyMs > 0 ? (summary.gcMs / busyMs) * 100 : 0;
  return `busy ${busyMs.toFixed(0)} ms of ${summary.sampledMs.toFixed(0)} ms sampled, GC ${gc.toFixed(0)}% of busy`;
}

/** The top functions of one phase: inclusive (what a call path costs) beside self (where the time is). */
export function topFunctionsTable(profile: PhaseProfile, rows: number): Table {
  const { inclusive, self } = profile.summary;
  const cell = (cost: { name: string; percent: number } | undefined) => (cost ? [cost.name, `${cost.percent.toFixed(1)}%`] : ['', '']);
  return {
    headers: ['Inclusive (our function and its callees)', '% busy', 'Self (function alone)', '% busy'],
    rows: Array.from({ length: Math.min(rows, Math.max(inclusive.length, self.length)) }, (_, i) => [...cell(inclusive[i]), ...cell(self[i])]),
  };
}
