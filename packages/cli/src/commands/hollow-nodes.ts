// `k8ts hollow-nodes`: N hollow nodes in one process (kubemark's and kwok's role), for scale
// tests: nodes <prefix>0 … <prefix>N-1 on the fake runtime, sharing one client (--kube-api-qps,
// --kube-api-burst), one pod watch, one node watch, one heartbeat loop and one pool of status
// writers. Node startup events are not recorded (thousands of them would only load the
// apiserver); pod events are. Node addresses are consecutive from --node-ip, in the loopback
// range by default so that each node's kubelet API (--port, a free one per node by default) is
// reachable at the node's InternalIP.
import { flag, type FlagSpecs } from '@k8ts/controller-manager/options/flag-parser.ts';
import { hollowNodeConfigs, KUBELET_VERSION, type NodeConfig } from '@k8ts/kubelet';
import { NODE_FLAGS, nodeSettings, parseCommandFlags, prefixedLogger, restConfigFrom, runHost, unsupportedRuntime } from './kubelet.ts';

const HOLLOW_FLAGS = {
  ...NODE_FLAGS,
  nodes: flag('int', 0, 'How many hollow nodes to run (required).'),
  'name-prefix': flag('string', 'hollow-node-', 'Node names are this prefix followed by 0 … nodes-1.'),
  'node-ip': flag('string', '127.20.0.1', 'The first node address; node i gets this address plus i.'),
  'healthz-port': flag('int', 0, 'The port of the localhost healthz endpoint; 0 picks a free port.'),
  port: flag('int', 0, "The port of each node's kubelet API (HTTPS) on its node IP; 0 picks a free one per node."),
  'kube-api-qps': flag('int', 500, 'QPS to use while talking with the API server (shared by all nodes).'),
  'kube-api-burst': flag('int', 1000, 'Burst to use while talking with the API server (shared by all nodes).'),
  'status-writers': flag('int', 32, 'Concurrent pod status writes (shared by all nodes).'),
} satisfies FlagSpecs;

export async function runHollowNodesCommand(args: string[]): Promise<number> {
  const values = parseCommandFlags('hollow-nodes', HOLLOW_FLAGS, args, `Many hollow nodes (fake-runtime kubelets, ${KUBELET_VERSION}) in one process, for scale tests.`);
  if (typeof values === 'number') return values;
  const problem = values.runtime !== 'fake' ? (unsupportedRuntime(values.runtime) ?? 'hollow nodes run the fake runtime only') : undefined;
  if (problem || values.nodes < 1) {
    process.stderr.write(`k8ts hollow-nodes: ${problem ?? '--nodes must be at least 1'}\n`);
    return 2;
  }
  let nodes: NodeConfig[];
  try {
    nodes = hollowNodeConfigs(values.nodes, values['name-prefix'], values['node-ip'], nodeSettings(values));
  } catch (err) {
    process.stderr.write(`k8ts hollow-nodes: ${(err as Error).message}\n`);
    return 2;
  }
  const code = await runHost({
    command: 'hollow-nodes',
    logger: prefixedLogger('k8ts hollow-nodes:'),
    nodes,
    values,
    restConfig: restConfigFrom(values, values['kube-api-qps'], values['kube-api-burst'], `kubelet/${KUBELET_VERSION} (linux/amd64) k8ts hollow-nodes`),
    statusWorkers: values['status-writers'],
    recordNodeEvents: false,
  });
  process.exit(code);
}
