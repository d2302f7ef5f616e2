// `k8ts kubelet`: the node agent with the kubelet's flag names. `--runtime fake` makes it a
// hollow node (simulated containers, see packages/kubelet/README.md); `--runtime docker` is not
// built yet. Progress goes to stdout and problems to stderr, each line starting "k8ts kubelet:";
// the node name shows in the process list through --hostname-override (the process title is
// left alone: `k8ts up` tells its processes by their command lines); SIGTERM/SIGINT stop it. /healthz answers "ok" on
// --healthz-bind-address:--healthz-port (0 picks a free port, printed when serving starts). The
// kubelet API (HTTPS: /healthz, /metrics/resource) listens on --node-ip:--port for clients with a
// certificate from --client-ca-file (by default the kubeconfig's CA).
// The flag declarations and the shared start-up are exported for `k8ts hollow-nodes`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { clientConfig, loadKubeconfig, processIO, RestClient, realClock, inClusterConfig, type Logger, type RestConfig } from '@k8ts/client';
import { flag, flagUsages, FlagError, parseFlags, type FlagSpecs, type FlagValues } from '@k8ts/controller-manager/options/flag-parser.ts';
import {
  FAKE_RUNTIME_NAME,
  FAKE_RUNTIME_VERSION,
  FakeRuntime,
  KUBELET_VERSION,
  nodeConfigFor,
  runNodeHost,
  type KubeletServerSettings,
  type NodeConfig,
  type NodeSettings,
} from '@k8ts/kubelet';
import { stopOnSignals } from './stop-signals.ts';

/** Flags a kubelet and the hollow-node fleet share. */
export const NODE_FLAGS = {
  kubeconfig: flag('string', '', 'Path to a kubeconfig file, specifying how to connect to the API server.'),
  'node-labels': flag('strings', [], 'Labels to add when registering the node in the cluster, as key=value pairs separated by ","; e.g. node-role.kubernetes.io/control-plane='),
  'register-with-taints': flag('strings', [], 'Register the node with the given taints, as <key>=<value>:<effect> separated by ","; e.g. node-role.kubernetes.io/control-plane=:NoSchedule'),
  'max-pods': flag('int', 110, 'Number of pods that can run on this node.'),
  'cluster-dns': flag('strings', [], 'DNS server IP addresses for pods (recorded; the fake runtime writes no resolv.conf).'),
  'cluster-domain': flag('string', '', 'Domain for this cluster (recorded; the fake runtime writes no resolv.conf).'),
  runtime: flag('string', 'fake', 'The container runtime: fake (simulated containers, a hollow node) or docker (not built yet).'),
  'fake-cpu': flag('string', '4', 'CPU capacity a fake-runtime node reports.'),
  'fake-memory': flag('string', '16Gi', 'Memory capacity a fake-runtime node reports.'),
  'fake-ephemeral-storage': flag('string', '100Gi', 'Ephemeral storage capacity a fake-runtime node reports.'),
  'fake-container-start-delay': flag('duration', 300, 'How long the fake runtime takes to create a container (shown as ContainerCreating).'),
  'fake-image-pull-delay': flag('duration', 0, 'How long the fake runtime takes to pull an image (imagePullPolicy Always).'),
  'node-status-update-frequency': flag('duration', 10_000, 'How often the kubelet computes node status and posts it if it changed.'),
  'node-status-report-frequency': flag('duration', 300_000, 'How often the kubelet posts node status when nothing changed.'),
  'node-lease-duration-seconds': flag('int', 40, 'Duration of the node Lease; it is renewed every quarter of it.'),
  'healthz-bind-address': flag('string', '127.0.0.1', 'The IP address for the healthz server to serve on.'),
  'client-ca-file': flag('string', '', "CA bundle (PEM) whose client certificates may call the kubelet API; default: the kubeconfig's CA."),
} satisfies FlagSpecs;

type NodeFlagValues = FlagValues<typeof NODE_FLAGS>;

const KUBELET_FLAGS = {
  ...NODE_FLAGS,
  'hostname-override': flag('string', '', 'If non-empty, use this string as the node name instead of the actual hostname.'),
  'node-ip': flag('string', '', "IP address of the node (the host's first non-loopback IPv4 address if unset)."),
  'healthz-port': flag('int', 10248, 'The port of the localhost healthz endpoint; 0 picks a free port.'),
  port: flag('int', 10250, 'The port for the kubelet API (HTTPS) on the node IP; 0 picks a free one, reported in the Node status.'),
  'kube-api-qps': flag('int', 50, 'QPS to use while talking with the API server.'),
  'kube-api-burst': flag('int', 100, 'Burst to use while talking with the API server.'),
} satisfies FlagSpecs;

export function prefixedLogger(prefix: string): Logger {
  return {
    info: (message) => process.stdout.write(`${prefix} ${message}\n`),
    warn: (message) => process.stderr.write(`${prefix} warning: ${message}\n`),
  };
}

export function usage(command: string, specs: FlagSpecs, summary: string): string {
  return `usage: k8ts ${command} [flags]\n\n${summary}\n\nFlags:\n${flagUsages(specs)}`;
}

/** Parses flags, printing help or the error; a number is the exit code to return at once. */
export function parseCommandFlags<S extends FlagSpecs>(command: string, specs: S, args: string[], summary: string): FlagValues<S> | number {
  try {
    const parsed = parseFlags(specs, args);
    if (parsed.help) {
      console.log(usage(command, specs, summary));
      return 0;
    }
    return parsed.values;
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`k8ts ${command}: ${err.message}\nRun "k8ts ${command} --help" for the flags.\n`);
    return 2;
  }
}

/** The client configuration: --kubeconfig, else the in-cluster one; with the QPS flags. */
export function restConfigFrom(values: { kubeconfig: string }, qps: number, burst: number, userAgent: string): RestConfig {
  const base = values.kubeconfig === '' ? inClusterConfig().restConfig : clientConfig(loadKubeconfig({ explicitPath: values.kubeconfig }), {}, processIO).restConfig;
  return { ...base, qps, burst, userAgent };
}

export function nodeSettings(values: NodeFlagValues): NodeSettings {
  return {
    nodeLabels: values['node-labels'],
    registerWithTaints: values['register-with-taints'],
    maxPods: values['max-pods'],
    cpu: values['fake-cpu'],
    memory: values['fake-memory'],
    ephemeralStorage: values['fake-ephemeral-storage'],
    containerRuntimeVersion: `${FAKE_RUNTIME_NAME}://${FAKE_RUNTIME_VERSION}`,
  };
}

/** Serves GET /healthz → "ok" until `signal` aborts; resolves with the port once listening. */
export function serveHealthz(bindAddress: string, port: number, signal: AbortSignal): Promise<number> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const ok = path === '/healthz' || path === '/healthz/';
    res.writeHead(ok ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(ok ? 'ok' : '404 page not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`failed to start the healthz server on ${bindAddress}:${port}: ${err.message}`)));
    server.listen(port, bindAddress, () => {
      signal.addEventListener('abort', () => server.close(), { once: true });
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Checks --runtime; a message when it cannot be used. */
export function unsupportedRuntime(runtime: string): string | undefined {
  if (runtime === 'fake') return undefined;
  if (runtime === 'docker') return '--runtime docker is not built yet; use --runtime fake for a hollow node';
  return `unknown --runtime ${JSON.stringify(runtime)}: want fake or docker`;
}

export interface HostRun {
  command: string;
  logger: Logger;
  nodes: NodeConfig[];
  values: NodeFlagValues & { 'healthz-port': number; port: number };
  restConfig: RestConfig;
  statusWorkers: number;
  recordNodeEvents: boolean;
}

/**
 * The kubelet API's settings: who may call it is --client-ca-file, else the kubeconfig's CA. A
 * message instead when it cannot be served (a bad flag or file is an error; no CA at all — a
 * plain-HTTP kubeconfig — only means nobody could be authenticated, so there is no server).
 */
export function kubeletServerSettings(
  values: { 'client-ca-file': string; port: number },
  restConfig: RestConfig,
): { settings: KubeletServerSettings } | { error: string } | { skipped: string } {
  if (!Number.isInteger(values.port) || values.port < 0 || values.port > 65535) return { error: `invalid --port ${values.port}: want 0-65535` };
  const caFile = values['client-ca-file'] || restConfig.tls?.caFile;
  let clientCaPem: string | undefined;
  try {
    clientCaPem = values['client-ca-file'] ? readFileSync(values['client-ca-file'], 'utf8') : (restConfig.tls?.caData ?? (caFile ? readFileSync(caFile, 'utf8') : undefined));
  } catch (err) {
    return { error: `cannot read the client CA ${caFile}: ${(err as Error).message}` };
  }
  if (!clientCaPem) return { skipped: 'not serving the kubelet API (/metrics/resource): no --client-ca-file and the kubeconfig names no certificate authority' };
  return { settings: { port: values.port, clientCaPem } };
}

/** Runs the nodes until SIGTERM/SIGINT; the exit code. */
export async function runHost(run: HostRun): Promise<number> {
  const { logger, values } = run;
  const stopped = stopOnSignals(logger);
  try {
    const port = await serveHealthz(values['healthz-bind-address'], values['healthz-port'], stopped);
    logger.info(`serving /healthz on http://${values['healthz-bind-address']}:${port}`);
  } catch (err) {
    process.stderr.write(`k8ts ${run.command}: ${(err as Error).message}\n`);
    return 1;
  }
  const server = kubeletServerSettings(values, run.restConfig);
  if ('error' in server) {
    process.stderr.write(`k8ts ${run.command}: ${server.error}\n`);
    return 2;
  }
  if ('skipped' in server) logger.warn(server.skipped);
  const client = new RestClient(run.restConfig, { logger });
  logger.info(`registering ${run.nodes.length === 1 ? `node ${JSON.stringify(run.nodes[0]!.nodeName)}` : `${run.nodes.length} nodes`} with ${client.baseUrl.href}`);
  try {
    await runNodeHost(
      {
        client,
        clock: realClock,
        logger,
        nodes: run.nodes,
        runtimeFor: (config, podAnnotations) =>
          new FakeRuntime({
            clock: realClock,
            idSeed: config.nodeName,
            createDelayMs: values['fake-container-start-delay'],
            pullDelayMs: values['fake-image-pull-delay'],
            currentAnnotations: (sandbox) => podAnnotations(sandbox.uid),
          }),
        ...('settings' in server ? { server: server.settings } : {}),
        runtimeName: FAKE_RUNTIME_NAME,
        timing: {
          nodeLeaseDurationSeconds: values['node-lease-duration-seconds'],
          nodeStatusUpdateFrequencyMs: values['node-status-update-frequency'],
          nodeStatusReportFrequencyMs: values['node-status-report-frequency'],
        },
        statusWorkers: run.statusWorkers,
        recordNodeEvents: run.recordNodeEvents,
        onReady: ({ nodes }) => logger.info(`${nodes === 1 ? 'node' : `${nodes} nodes`} registered and ready; watching pods`),
      },
      stopped,
    );
  } catch (err) {
    process.stderr.write(`k8ts ${run.command}: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

function defaultNodeIP(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function runKubeletCommand(args: string[]): Promise<number> {
  const values = parseCommandFlags('kubelet', KUBELET_FLAGS, args, `The node agent (the kubelet's role, ${KUBELET_VERSION}). --runtime fake runs a hollow node.`);
  if (typeof values === 'number') return values;
  const problem = unsupportedRuntime(values.runtime);
  if (problem) {
    process.stderr.write(`k8ts kubelet: ${problem}\n`);
    return 1;
  }
  const nodeName = (values['hostname-override'] || hostname()).toLowerCase();
  let node: NodeConfig;
  try {
    node = nodeConfigFor(nodeName, values['node-ip'] || defaultNodeIP(), nodeSettings(values));
  } catch (err) {
    process.stderr.write(`k8ts kubelet: ${(err as Error).message}\n`);
    return 2;
  }
  const code = await runHost({
    command: 'kubelet',
    logger: prefixedLogger('k8ts kubelet:'),
    nodes: [node],
    values,
    restConfig: restConfigFrom(values, values['kube-api-qps'], values['kube-api-burst'], `kubelet/${KUBELET_VERSION} (linux/amd64) k8ts`),
    statusWorkers: 4,
    recordNodeEvents: true,
  });
  // Do not linger for events still being retried against an apiserver that is gone.
  process.exit(code);
}
