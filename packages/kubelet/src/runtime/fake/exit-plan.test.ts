import { describe, expect, it } from 'vitest';
import { exitPlanFor } from './exit-plan.ts';

describe('exitPlanFor', () => {
  it('ends `sleep N` after N seconds with code 0, as command or as args', () => {
    expect(exitPlanFor(['sleep', '30'], [], {})).toEqual({ afterMs: 30_000, exitCode: 0 });
    expect(exitPlanFor([], ['sleep', '2.5'], {})).toEqual({ afterMs: 2500, exitCode: 0 });
    expect(exitPlanFor(['/bin/sleep'], ['1m'], {})).toEqual({ afterMs: 60_000, exitCode: 0 });
  });

  it('follows a shell script of sleeps and an exit', () => {
    expect(exitPlanFor(['sh', '-c', 'sleep 10'], [], {})).toEqual({ afterMs: 10_000, exitCode: 0 });
    expect(exitPlanFor(['/bin/sh', '-c', 'sleep 5; exit 3'], [], {})).toEqual({ afterMs: 5000, exitCode: 3 });
    expect(exitPlanFor(['/bin/sh', '-c'], ['echo start && sleep 2 && sleep 3'], {})).toEqual({ afterMs: 5000, exitCode: 0 });
    expect(exitPlanFor(['sh', '-c', 'echo failing; false'], [], {})).toEqual({ afterMs: 0, exitCode: 1 });
  });

  it('runs servers, loops and `sleep infinity` until stopped', () => {
    expect(exitPlanFor([], [], {})).toBeUndefined();
    expect(exitPlanFor(['nginx', '-g', 'daemon off;'], [], {})).toBeUndefined();
    expect(exitPlanFor(['sleep', 'infinity'], [], {})).toBeUndefined();
    expect(exitPlanFor(['sh', '-c', 'while true; do echo hi; sleep 1; done'], [], {})).toBeUndefined();
  });

  it('finishes one-off commands and interpreter one-liners at once', () => {
    expect(exitPlanFor(['echo', 'hello'], [], {})).toEqual({ afterMs: 0, exitCode: 0 });
    expect(exitPlanFor(['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'], [], {})).toEqual({ afterMs: 0, exitCode: 0 });
  });

  it('lets the annotations override the command line', () => {
    const annotations = { 'fake.k8ts.io/exit-after': '7', 'fake.k8ts.io/exit-code': '2' };
    expect(exitPlanFor(['nginx'], [], annotations)).toEqual({ afterMs: 7000, exitCode: 2 });
    expect(exitPlanFor(['sleep', '100'], [], { 'fake.k8ts.io/exit-after': '1.5' })).toEqual({ afterMs: 1500, exitCode: 0 });
    expect(exitPlanFor([], [], { 'fake.k8ts.io/exit-code': '1' })).toEqual({ afterMs: 0, exitCode: 1 });
  });

  it('ignores annotations that are not numbers', () => {
    expect(exitPlanFor(['sleep', '4'], [], { 'fake.k8ts.io/exit-after': 'soon' })).toEqual({ afterMs: 4000, exitCode: 0 });
  });
});
