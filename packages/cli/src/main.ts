// `k8ts <component> [flags]`: every k8ts component is a subcommand of one binary.
import { runApiserver } from './commands/apiserver.ts';
import { runStore } from './commands/store.ts';

const USAGE = `usage: k8ts <command> [flags]

commands:
  store      the etcd-v3-compatible key-value store (etcd's role)
             k8ts store --name NAME --data-dir DIR --listen-client-urls URL ...
             k8ts store snapshot restore FILE --data-dir DIR
  apiserver  the Kubernetes API (kube-apiserver's role)
             k8ts apiserver --etcd-servers URL --insecure-port 8080 ...

Run "k8ts <command> --help" for a command's flags.`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  store: runStore,
  apiserver: runApiserver,
};

const [command, ...args] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}
const run = commands[command];
if (!run) {
  console.error(`k8ts: unknown command "${command}"\n\n${USAGE}`);
  process.exit(2);
}
try {
  const code = await run(args);
  if (code !== 0) process.exit(code);
} catch (err) {
  console.error(`k8ts ${command}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
