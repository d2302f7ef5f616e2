// `k8ts controller-manager`: kube-controller-manager's role, with its flag names.
import { CONTROLLER_MANAGER_HELP, parseControllerManagerOptions, runControllerManager } from '@k8ts/controller-manager';
import { runComponent } from './component-command.ts';

export function runControllerManagerCommand(args: string[]): Promise<number> {
  return runComponent({ name: 'controller-manager', parse: parseControllerManagerOptions, help: CONTROLLER_MANAGER_HELP, run: runControllerManager }, args);
}
