// The reflector: client-go's cache.Reflector, the loop that mirrors one resource into a local
// store. It lists everything (remembering the list's resourceVersion), then watches from that
// version, applying each event and advancing its position; when the watch ends it watches
// again from the last version seen. If the server no longer has that version (410 Expired) it
// lists again — first at the last version it saw, and if even that is gone, at the latest
// (a quorum read). Between failed rounds it backs off exponentially (800 ms … 30 s, jittered).
import type { KubeObject } from '@k8ts/api';
import { ExponentialBackoff, REFLECTOR_BACKOFF } from './backoff.ts';
import { realClock, sleep, type Clock, type Timer } from './clock.ts';
import { isConnectionRefused, isExpired, isTooManyRequests, StatusError } from './errors.ts';
import { DEFAULT_PAGE_SIZE, listAllPages, type ListerWatcher } from './list-watch.ts';
import { errorMessage, stderrLogger, type Logger } from './logger.ts';
import type { Watch } from './watch.ts';

/** Where the reflector writes (the informer's cache and notifier). */
export interface ReflectorStore<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** the full state as of `resourceVersion` */
  replace(items: T[], resourceVersion: string): void;
  /** periodic re-delivery of everything to handlers that asked for it */
  resync(): void;
}

export interface ReflectorOptions {
  /** for log lines, e.g. "*v1.Pod" */
  description?: string;
  /** how often to call store.resync(); 0: never */
  resyncPeriodMs?: number;
  /** asked before each resync; the informer answers whether any handler is due */
  shouldResync?: () => boolean;
  /** list chunk size; 0 lets the reflector choose (500, or unpaginated for an RV-pinned relist) */
  pageSize?: number;
  /** watches ask the server to end after this × [1, 2) (client-go: 5 minutes) */
  minWatchTimeoutMs?: number;
  /** reports why a list-and-watch round failed (client-go's WatchErrorHandler) */
  onWatchError?: (err: unknown) => void;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

const DEFAULT_MIN_WATCH_TIMEOUT_MS = 5 * 60_000;

/** The watch was stopped because the reflector is stopping. */
const STOPPED = Symbol('stopped');

/** apimachinery's "Too large resource version": the server has not caught up to the RV asked for. */
function isTooLargeResourceVersion(err: unknown): boolean {
  return err instanceof StatusError && err.code === 504 && (err.status.details?.causes ?? []).some((c) => c.reason === 'ResourceVersionTooLarge');
}

export class Reflector<T extends KubeObject = KubeObject> {
  private lastSyncRV = '';
  /** the last list at lastSyncRV failed with 410: relist at the latest instead */
  private lastSyncRVUnavailable = false;
  /** the server paginated an RV="0" list, so it has no watch cache: keep paginating */
  private paginatedResult = false;
  private readonly description: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly backoff: ExponentialBackoff;
  private readonly watchBackoff: ExponentialBackoff;

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly store: ReflectorStore<T>,
    private readonly options: ReflectorOptions = {},
  ) {
    this.description = options.description ?? 'objects';
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? stderrLogger;
    this.backoff = new ExponentialBackoff(REFLECTOR_BACKOFF, this.clock, this.random);
    this.watchBackoff = new ExponentialBackoff(REFLECTOR_BACKOFF, this.clock, this.random);
  }

  /** The resourceVersion of the last list or event applied to the store. */
  lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /** List-and-watch rounds until `signal` aborts, backing off between rounds. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (!signal.aborted) this.reportWatchError(err);
      }
      if (signal.aborted || !(await sleep(this.clock, this.backoff.next(), signal))) return;
    }
  }

  /** One round: a full list, then watches until one fails in a way that calls for a new list. */
  async listAndWatch(signal: AbortSignal): Promise<void> {
    await this.list(signal);
    if (signal.aborted) return;
    const stopResync = this.startResync();
    try {
      await this.watchLoop(signal);
    } finally {
      stopResync();
    }
  }

  /**
   * The resourceVersion to list at: "0" the first time (any cached state will do), the last one
   * seen afterwards (never go back in time), "" after that one turned out to be gone.
   */
  relistResourceVersion(): string {
    if (this.lastSyncRVUnavailable) return '';
    return this.lastSyncRV === '' ? '0' : this.lastSyncRV;
  }

  private async list(signal: AbortSignal): Promise<void> {
    const resourceVersion = this.relistResourceVersion();
    const pageSize = this.pageSizeFor(resourceVersion);
    let result;
    try {
      try {
        result = await listAllPages(this.lw, { resourceVersion }, pageSize, signal);
      } catch (err) {
        if (!isExpired(err) && !isTooLargeResourceVersion(err)) throw err;
        this.lastSyncRVUnavailable = true;
        result = await listAllPages(this.lw, { resourceVersion: this.relistResourceVersion() }, pageSize, signal);
      }
    } catch (err) {
      if (signal.aborted) return;
      throw new Error(`failed to list ${this.description}: ${errorMessage(err)}`, { cause: err });
    }
    if (signal.aborted) return;
    if (resourceVersion === '0' && result.paginated) this.paginatedResult = true;
    this.lastSyncRVUnavailable = false;
    const listRV = result.list.metadata.resourceVersion ?? '';
    this.store.replace(result.list.items, listRV);
    this.lastSyncRV = listRV;
  }

  private pageSizeFor(resourceVersion: string): number {
    if (this.options.pageSize) return this.options.pageSize;
    if (this.paginatedResult) return DEFAULT_PAGE_SIZE;
    // An RV-pinned list without a limit can be served from the apiserver's watch cache.
    if (resourceVersion !== '' && resourceVersion !== '0') return 0;
    return DEFAULT_PAGE_SIZE;
  }

  private startResync(): () => void {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0) return () => {};
    let timer: Timer;
    const schedule = (): void => {
      timer = this.clock.setTimer(period, () => {
        if (this.options.shouldResync?.() ?? true) this.store.resync();
        schedule();
      });
    };
    schedule();
    return () => timer.cancel();
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    const minTimeoutMs = this.options.minWatchTimeoutMs ?? DEFAULT_MIN_WATCH_TIMEOUT_MS;
    while (!signal.aborted) {
      const start = this.clock.now();
      const timeoutSeconds = Math.floor((minTimeoutMs / 1000) * (this.random() + 1));
      let watch: Watch<T>;
      try {
        watch = await this.lw.watch({ resourceVersion: this.lastSyncRV, timeoutSeconds, allowWatchBookmarks: true }, signal);
      } catch (err) {
        if (signal.aborted) return;
        // The apiserver is down or shedding load: retry the watch, keeping our place.
        if (isConnectionRefused(err) || isTooManyRequests(err)) {
          if (!(await sleep(this.clock, this.watchBackoff.next(), signal))) return;
          continue;
        }
        throw err;
      }
      const result = await this.handleWatch(start, watch, signal);
      watch.stop();
      if (result === STOPPED || signal.aborted) return;
      if (result === undefined) continue; // closed normally: watch again from where we are
      if (isExpired(result)) {
        this.logger.info(`watch of ${this.description} closed with: ${errorMessage(result)}`);
        return;
      }
      if (isTooManyRequests(result)) {
        if (!(await sleep(this.clock, this.watchBackoff.next(), signal))) return;
        continue;
      }
      this.logger.warn(`watch of ${this.description} ended with: ${errorMessage(result)}`);
      return;
    }
  }

  /** Applies a watch's events to the store; returns why it ended (undefined: closed normally). */
  private async handleWatch(start: number, watch: Watch<T>, signal: AbortSignal): Promise<Error | undefined | typeof STOPPED> {
    const onAbort = (): void => watch.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    let events = 0;
    try {
      for await (const event of watch) {
        if (signal.aborted) return STOPPED;
        if (event.type === 'ERROR') return event.error;
        const object = event.object;
        try {
          if (event.type === 'ADDED') this.store.add(object);
          else if (event.type === 'MODIFIED') this.store.update(object);
          else if (event.type === 'DELETED') this.store.delete(object);
        } catch (err) {
          this.logger.warn(`unable to apply ${event.type} of ${this.description} to the store: ${errorMessage(err)}`);
        }
        // BOOKMARKs carry only this: how far the stream has got.
        this.lastSyncRV = object.metadata.resourceVersion ?? this.lastSyncRV;
        events++;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) return STOPPED;
    if (this.clock.now() - start < 1000 && events === 0) {
      return new Error(`very short watch: ${this.description}: Unexpected watch close - watch lasted less than a second and no items received`);
    }
    return undefined;
  }

  private reportWatchError(err: unknown): void {
    if (this.options.onWatchError) this.options.onWatchError(err);
    else this.logger.warn(`Failed to watch ${this.description}: ${errorMessage(err)}`);
  }
}
