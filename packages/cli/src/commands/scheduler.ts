// `k8ts scheduler`: kube-scheduler's role, with its flag names and --config file.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '@k8ts/api';
import { parseSchedulerOptions, runScheduler, SCHEDULER_HELP } from '@k8ts/scheduler';
import { runComponent } from './component-command.ts';

export function runSchedulerCommand(args: string[]): Promise<number> {
  return runComponent(
    {
      name: 'scheduler',
      parse: (flags) => parseSchedulerOptions(flags, (path) => parseYaml(readFileSync(path, 'utf8')) as JsonValue),
      help: SCHEDULER_HELP,
      run: runScheduler,
    },
    args,
  );
}
