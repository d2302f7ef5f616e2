// `k8ts scheduler`: kube-scheduler's role, with its flag names. Progress goes to stdout and
// problems to stderr, each line starting "k8ts scheduler:"; SIGTERM and SIGINT stop scheduling
// and release the leader lease before the process exits.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '@k8ts/api';
import { clientConfig, emptyKubeconfig, inClusterConfig, loadKubeconfig, processIO, realClock, type Logger, type RestConfig } from '@k8ts/client';
import { FlagError } from '@k8ts/controller-manager';
import { parseSchedulerOptions, runScheduler, SCHEDULER_HELP, type SchedulerOptions } from '@k8ts/scheduler';

const PREFIX = 'k8ts scheduler:';

const logger: Logger = {
  info: (message) => process.stdout.write(`${PREFIX} ${message}\n`),
  warn: (message) => process.stderr.write(`${PREFIX} warning: ${message}\n`),
};

/** --kubeconfig (that file only) with --master on top; with neither, the in-cluster configuration. */
function loadConfig(options: SchedulerOptions): RestConfig {
  if (options.kubeconfig === '' && options.master === '') {
    logger.warn('Neither --kubeconfig nor --master was specified. Using the inClusterConfig. This might not work.');
    return inClusterConfig().restConfig;
  }
  const config = options.kubeconfig === '' ? emptyKubeconfig() : loadKubeconfig({ explicitPath: options.kubeconfig });
  return clientConfig(config, options.master === '' ? {} : { server: options.master }, processIO).restConfig;
}

export async function runSchedulerCommand(args: string[]): Promise<number> {
  let options: SchedulerOptions | 'help';
  try {
    options = parseSchedulerOptions(args, (path) => parseYaml(readFileSync(path, 'utf8')) as JsonValue);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`${PREFIX} ${err.message}\nRun "k8ts scheduler --help" for the flags.\n`);
    return 2;
  }
  if (options === 'help') {
    console.log(SCHEDULER_HELP);
    return 0;
  }
  const chosen = options;
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info(`received ${signal}, shutting down`);
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const code = await runScheduler(chosen, stop.signal, {
    logger,
    loadConfig: () => loadConfig(chosen),
    readFile: (path) => readFileSync(path, 'utf8'),
    hostname: hostname(),
    uuid: randomUUID,
    clock: realClock,
  });
  // Do not linger for events still being retried against an apiserver that is gone.
  process.exit(code);
}
