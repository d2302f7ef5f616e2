// A control-plane component as a `k8ts` subcommand (`k8ts scheduler`, `k8ts controller-manager`):
// its flags parsed with Kubernetes' names, progress to stdout and problems to stderr, each line
// starting "k8ts <name>:"; SIGTERM and SIGINT stop the work and release the leader lease before
// the process exits.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { clientConfig, emptyKubeconfig, inClusterConfig, loadKubeconfig, processIO, realClock, type Logger, type RestConfig } from '@k8ts/client';
import { FlagError, type RunEnvironment } from '@k8ts/controller-manager';
import { stopOnSignals } from './stop-signals.ts';

export interface Component<O extends { kubeconfig: string; master: string }> {
  /** the subcommand's name */
  name: string;
  /** the command line as options; 'help' for --help; throws FlagError */
  parse(args: string[]): O | 'help';
  help: string;
  run(options: O, signal: AbortSignal, env: RunEnvironment): Promise<number>;
}

/**
 * clientcmd.BuildConfigFromFlags: --kubeconfig (that file only) with --master on top; with
 * neither, the in-cluster configuration.
 */
function loadConfig(options: { kubeconfig: string; master: string }, logger: Logger): RestConfig {
  if (options.kubeconfig === '' && options.master === '') {
    logger.warn('Neither --kubeconfig nor --master was specified. Using the inClusterConfig. This might not work.');
    return inClusterConfig().restConfig;
  }
  const config = options.kubeconfig === '' ? emptyKubeconfig() : loadKubeconfig({ explicitPath: options.kubeconfig });
  return clientConfig(config, options.master === '' ? {} : { server: options.master }, processIO).restConfig;
}

export async function runComponent<O extends { kubeconfig: string; master: string }>(component: Component<O>, args: string[]): Promise<number> {
  const prefix = `k8ts ${component.name}:`;
  const logger: Logger = {
    info: (message) => process.stdout.write(`${prefix} ${message}\n`),
    warn: (message) => process.stderr.write(`${prefix} warning: ${message}\n`),
  };
  let options: O | 'help';
  try {
    options = component.parse(args);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`${prefix} ${err.message}\nRun "k8ts ${component.name} --help" for the flags.\n`);
    return 2;
  }
  if (options === 'help') {
    console.log(component.help);
    return 0;
  }
  const chosen = options;
  const code = await component.run(chosen, stopOnSignals(logger), {
    logger,
    loadConfig: () => loadConfig(chosen, logger),
    readFile: (path) => readFileSync(path, 'utf8'),
    hostname: hostname(),
    uuid: randomUUID,
    clock: realClock,
  });
  // Done: do not linger for Events still being retried against an apiserver that is gone
  // (Kubernetes' components exit the same way).
  process.exit(code);
}
