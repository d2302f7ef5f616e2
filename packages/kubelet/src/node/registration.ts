// Registering the Node (the kubelet's registerWithAPIServer): create it; if it already exists
// (a restarted kubelet), keep the existing object and restore the default labels on it. The
// kubelet retries until it succeeds, waiting 100 ms at first and at most 7 s between tries.
import { errorMessage, isAlreadyExists, sleep, type Clock, type Logger, type RestClient } from '@k8ts/client';
import { defaultNodeLabels, initialNode, type Node, type NodeConfig } from './node-object.ts';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 7_000;

export function nodesClient(client: RestClient) {
  return client.forKind<Node>({ group: '', version: 'v1', kind: 'Node' });
}

/** One attempt; returns the registered Node. */
export async function registerNodeOnce(client: RestClient, config: NodeConfig, now: number): Promise<Node> {
  const nodes = nodesClient(client);
  try {
    return await nodes.create(initialNode(config, now));
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await nodes.get(config.nodeName);
  const wanted = defaultNodeLabels(config);
  const labels = existing.metadata.labels ?? {};
  const missing = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => labels[k] !== v));
  if (Object.keys(missing).length === 0) return existing;
  return nodes.patch(config.nodeName, 'strategic', { metadata: { labels: missing } });
}

/** Registers until it succeeds; undefined only when `signal` aborts first. */
export async function registerNode(client: RestClient, config: NodeConfig, clock: Clock, logger: Logger, signal: AbortSignal): Promise<Node | undefined> {
  let delay = FIRST_RETRY_MS;
  while (!signal.aborted) {
    try {
      const node = await registerNodeOnce(client, config, clock.now());
      return node;
    } catch (err) {
      logger.warn(`Unable to register node with API server: ${errorMessage(err)} (node ${JSON.stringify(config.nodeName)})`);
    }
    if (!(await sleep(clock, delay, signal))) break;
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }
  return undefined;
}
