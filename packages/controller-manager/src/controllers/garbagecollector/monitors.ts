// The garbage collector's monitors: one metadata informer per resource that can be listed,
// watched and deleted (GetDeletableResources), feeding the GraphBuilder. `sync` asks discovery
// again and starts informers for resources that appeared (a CRD installed) and stops those for
// resources that went away; groups whose discovery failed keep the informers they had.
import type { KubeObject } from '@k8ts/api';
import { errorMessage, type Clock, type Logger, type RestClient, type SharedIndexInformer } from '@k8ts/client';
import { objectOf } from '../tombstone.ts';
import { discoverServerResources, discoveryFailureMessage, groupVersionText, RestMapper, supportsAllVerbs, type DiscoveredResource } from './discovery.ts';
import type { GraphBuilder } from './graph-builder.ts';
import { newMetadataInformer } from './metadata-informer.ts';

/** Resources the collector never watches: Events are many, short-lived and never own anything. */
export const DEFAULT_IGNORED_RESOURCES: readonly string[] = ['events', 'events.events.k8s.io'];

interface Monitor {
  resource: DiscoveredResource;
  informer: SharedIndexInformer<KubeObject>;
  stop: AbortController;
  running: Promise<void>;
}

export interface MonitorsDeps {
  client: RestClient;
  graph: GraphBuilder;
  ignoredResources: readonly string[];
  clock: Clock;
  random?: () => number;
  logger: Logger;
}

const keyOf = (r: Pick<DiscoveredResource, 'group' | 'version' | 'resource'>): string => `${groupVersionText(r.group, r.version)}/${r.resource}`;
const qualified = (r: DiscoveredResource): string => (r.group === '' ? r.resource : `${r.resource}.${r.group}`);

export class Monitors {
  private readonly monitors = new Map<string, Monitor>();
  /** maps owner references' apiVersion/kind to resources; refreshed on every sync */
  mapper = new RestMapper([]);

  constructor(private readonly deps: MonitorsDeps) {}

  /** Whether there are monitors and every one has listed its resource. */
  isSynced(): boolean {
    return this.monitors.size > 0 && [...this.monitors.values()].every((m) => m.informer.hasSynced());
  }

  watchedResources(): string[] {
    return [...this.monitors.keys()].sort();
  }

  /** Re-reads discovery and adjusts the monitors; false when discovery gave nothing to work with. */
  async sync(signal: AbortSignal): Promise<boolean> {
    const { logger } = this.deps;
    let discovered;
    try {
      discovered = await discoverServerResources(this.deps.client, signal);
    } catch (err) {
      if (!signal.aborted) logger.warn(`garbage collector: failed to discover preferred resources: ${errorMessage(err)}`);
      return false;
    }
    const failure = discoveryFailureMessage(discovered.failed);
    if (failure) logger.warn(`garbage collector: failed to discover some groups: ${failure}`);
    this.mapper = new RestMapper(discovered.all);

    const wanted = new Map<string, DiscoveredResource>();
    for (const r of discovered.preferred) {
      if (!supportsAllVerbs(r, ['delete', 'list', 'watch']) || this.deps.ignoredResources.includes(qualified(r))) continue;
      wanted.set(keyOf(r), r);
    }
    if (wanted.size === 0) return false;
    // A group that failed discovery this time keeps its informers rather than losing its graph.
    for (const [key, monitor] of this.monitors) {
      if (discovered.failed.has(groupVersionText(monitor.resource.group, monitor.resource.version))) wanted.set(key, monitor.resource);
    }

    const added = [...wanted.keys()].filter((key) => !this.monitors.has(key));
    const removed = [...this.monitors.keys()].filter((key) => !wanted.has(key));
    if (added.length === 0 && removed.length === 0) return true;
    logger.info(`garbage collector: syncing monitors with resources from discovery, added: [${added.sort().join(' ')}], removed: [${removed.sort().join(' ')}]`);
    for (const key of removed) {
      this.monitors.get(key)!.stop.abort();
      this.monitors.delete(key);
    }
    for (const key of added) this.start(wanted.get(key)!);
    return true;
  }

  /** Stops every informer and waits for them. */
  async stop(): Promise<void> {
    const running = [...this.monitors.values()];
    this.monitors.clear();
    for (const m of running) m.stop.abort();
    await Promise.all(running.map((m) => m.running));
  }

  private start(resource: DiscoveredResource): void {
    const { client, graph, clock, random, logger } = this.deps;
    const apiVersion = groupVersionText(resource.group, resource.version);
    const target = { group: resource.group, version: resource.version, resource: resource.resource, namespaced: resource.namespaced, kind: resource.kind };
    const informer = newMetadataInformer(client.forTarget<KubeObject>(target), {
      description: `*${apiVersion}.${resource.kind} (metadata)`,
      clock,
      ...(random ? { random } : {}),
      logger,
    });
    informer.addEventHandler({
      onAdd: (obj) => graph.observe('add', apiVersion, resource.kind, obj),
      onUpdate: (old, obj) => graph.observe('update', apiVersion, resource.kind, obj, old),
      onDelete: (obj) => graph.observe('delete', apiVersion, resource.kind, objectOf(obj)),
    });
    const stop = new AbortController();
    this.monitors.set(keyOf(resource), { resource, informer, stop, running: informer.run(stop.signal) });
  }
}
