// `k8ts <component> [flags]`: every k8ts component is a subcommand of one binary.

const USAGE = `usage: k8ts <command> [flags]

commands:
  store      the etcd-v3-compatible key-value store (etcd's role)
             k8ts store --name NAME --data-dir DIR --listen-client-urls URL ...
             k8ts store snapshot restore FILE --data-dir DIR
  apiserver  the Kubernetes API (kube-apiserver's role)
             k8ts apiserver --etcd-servers URL --insecure-port 8080 ...
  controller-manager  the control loops, leader-elected (kube-controller-manager's role)
             k8ts controller-manager --kubeconfig FILE [--controllers '*,-foo'] ...
  scheduler  assigns pods to nodes, leader-elected (kube-scheduler's role)
             k8ts scheduler --kubeconfig FILE ...
  kubelet    the node agent (the kubelet's role); --runtime fake runs a hollow node
             k8ts kubelet --kubeconfig FILE --hostname-override NAME --runtime fake ...
  hollow-nodes  many hollow nodes in one process, for scale tests (kubemark's role)
             k8ts hollow-nodes --kubeconfig FILE --nodes 1000 ...

cluster commands (each takes --name NAME, default "default"; state in $K8TS_HOME, default ~/.k8ts):
  up          create a cluster, or start a stopped one with its state (minikube start / kind create cluster)
  down        stop a cluster's processes, keeping its state
  delete      stop a cluster and remove its state
  status      each process of a cluster: pid, uptime, restarts, health; the store members' roles
  logs        a component's log: k8ts logs COMPONENT [-f]
  kubeconfig  print the path of a cluster's admin kubeconfig
  list        the clusters and whether they run

Run "k8ts <command> --help" for a command's flags.`;

type Command = (args: string[]) => Promise<number>;

// A command's code is loaded only when it runs: `k8ts status` or a store process need not load
// the apiserver.
const commands: Record<string, () => Promise<Command>> = {
  store: async () => (await import('./commands/store.ts')).runStore,
  apiserver: async () => (await import('./commands/apiserver.ts')).runApiserver,
  'controller-manager': async () => (await import('./commands/controller-manager.ts')).runControllerManagerCommand,
  scheduler: async () => (await import('./commands/scheduler.ts')).runSchedulerCommand,
  kubelet: async () => (await import('./commands/kubelet.ts')).runKubeletCommand,
  'hollow-nodes': async () => (await import('./commands/hollow-nodes.ts')).runHollowNodesCommand,
  up: async () => (await import('./cluster/up-command.ts')).runUp,
  down: async () => (await import('./cluster/down-command.ts')).runDown,
  delete: async () => (await import('./cluster/down-command.ts')).runDelete,
  status: async () => (await import('./cluster/status-command.ts')).runStatus,
  logs: async () => (await import('./cluster/logs-command.ts')).runLogs,
  kubeconfig: async () => (await import('./cluster/kubeconfig-command.ts')).runKubeconfig,
  list: async () => (await import('./cluster/list-command.ts')).runList,
  // internal: started by `k8ts up`, one per running cluster
  supervise: async () => (await import('./cluster/supervise-command.ts')).runSupervise,
};

const [command, ...args] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}
const load = commands[command];
if (!load) {
  console.error(`k8ts: unknown command "${command}"\n\n${USAGE}`);
  process.exit(2);
}
try {
  const code = await (await load())(args);
  if (code !== 0) process.exit(code);
} catch (err) {
  console.error(`k8ts ${command}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
