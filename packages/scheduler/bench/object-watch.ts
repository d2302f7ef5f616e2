// A list-then-watch of one resource that hands every object it sees to a callback together
// with the moment it arrived (performance.now()): the bench's view of the cluster, as a user's
// `kubectl get -w` would see it. Re-watches from the last resourceVersion when a watch ends and
// lists again when that version is too old (410), as a reflector does, without its cache.
import type { KubeObject } from '@k8ts/api';
import { errorMessage, type ResourceClient } from '@k8ts/client';

export type ObjectHandler<T> = (object: T, type: 'ADDED' | 'MODIFIED' | 'DELETED', atMs: number) => void;

const WATCH_TIMEOUT_SECONDS = 300;
const RETRY_MS = 500;

export class ObjectWatch<T extends KubeObject> {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  /** The last failure, reported if the watch never recovers. */
  lastError = '';

  constructor(
    private readonly resource: ResourceClient<T>,
    private readonly onObject: ObjectHandler<T>,
  ) {}

  /** Resolves once the first list has been handed over and the watch is open. */
  async start(): Promise<void> {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    this.running = this.loop(opened);
    await Promise.race([open, this.running]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(opened: () => void): Promise<void> {
    const signal = this.stopping.signal;
    let resourceVersion = '';
    while (!signal.aborted) {
      try {
        if (resourceVersion === '') {
          const list = await this.resource.list({ signal });
          const atMs = performance.now();
          for (const item of list.items) this.onObject(item, 'ADDED', atMs);
          resourceVersion = list.metadata?.resourceVersion ?? '';
        }
        const watch = await this.resource.watch({ resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_TIMEOUT_SECONDS, signal });
        opened();
        for await (const event of watch) {
          if (event.type === 'ERROR') {
            // 410: our version was compacted away; anything else: start over too.
            this.lastError = event.error.message;
            resourceVersion = '';
            break;
          }
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
          if (event.type !== 'BOOKMARK') this.onObject(event.object, event.type, performance.now());
        }
      } catch (err) {
        if (signal.aborted) return;
        this.lastError = errorMessage(err);
        resourceVersion = '';
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
