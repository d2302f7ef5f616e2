// A controller under test: the in-memory API, shared informers over it, a fake clock, and a
// logger that keeps what it was told. Tests seed objects, start the controller, drive the clock
// with `until` (simulated time only, so runs are deterministic), and assert on the API's state
// and recorded writes.
import type { KubeObject } from '@k8ts/api';
import { EventRecorder, eventSinkFor, FakeClock, RateLimitingQueue, SharedInformerFactory, type CoreEvent, type Logger, type RateLimiter, type RestClient } from '@k8ts/client';
import type { Controller, ControllerContext } from '../controller/context.ts';
import type { ControllerManagerOptions } from '../options/options.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { WorkqueueMetricsProvider } from '../metrics/workqueue-metrics.ts';
import { FakeApi } from './fake-api.ts';

/** What ControllerHarness.recordingContext saw a starter ask for. */
export interface StarterRecord {
  ctx: ControllerContext;
  identities: string[];
  components: string[];
  queues: string[];
  rateLimiters: Map<string, RateLimiter<unknown>>;
}

export class ControllerHarness {
  readonly clock = new FakeClock(Date.UTC(2025, 0, 1));
  readonly api = new FakeApi(this.clock);
  readonly client: RestClient = this.api.client();
  readonly informers = new SharedInformerFactory(this.client, { clock: this.clock, random: () => 0.5, logger: this.loggerFor() });
  readonly metrics = new MetricsRegistry();
  readonly queueMetrics = new WorkqueueMetricsProvider(this.metrics, this.clock);
  readonly logs: string[] = [];
  readonly logger: Logger = this.loggerFor();
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];

  constructor(...objects: KubeObject[]) {
    this.api.seed(...objects);
  }

  newQueue<K>(name: string, rateLimiter?: RateLimiter<K>): RateLimitingQueue<K> {
    return new RateLimitingQueue<K>({ clock: this.clock, rateLimiter, metrics: this.queueMetrics.forQueue<K>(name) });
  }

  /**
   * A ControllerContext over this harness for starter tests, recording what a starter asked
   * for: the identities it writes as, its events' components, its queues and their rate limiters.
   */
  recordingContext(options: ControllerManagerOptions): StarterRecord {
    const record: StarterRecord = { ctx: undefined as never, identities: [], components: [], queues: [], rateLimiters: new Map() };
    record.ctx = {
      options,
      informers: this.informers,
      clientFor: async (name) => {
        record.identities.push(name);
        return this.client;
      },
      rootClient: this.client,
      eventRecorder: (client, component) => {
        record.components.push(component);
        return this.recorder(component, client);
      },
      newQueue: <K>(name: string, rateLimiter?: RateLimiter<K>) => {
        record.queues.push(name);
        if (rateLimiter) record.rateLimiters.set(name, rateLimiter as RateLimiter<unknown>);
        return this.newQueue<K>(name, rateLimiter);
      },
      rootCa: '',
      readFile: () => '',
      clock: this.clock,
      logger: this.logger,
    };
    return record;
  }

  /** An event recorder whose events land in the fake API, as `ctx.eventRecorder` gives controllers. */
  recorder(component: string, client: RestClient = this.client): EventRecorder {
    return new EventRecorder(eventSinkFor(client), { component }, { clock: this.clock, random: () => 0.5, logger: this.logger });
  }

  /** The events recorded so far, as "<type> <reason> <message>" lines in the order written. */
  eventLines(): string[] {
    return this.api
      .list<CoreEvent>('v1', 'Event')
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .map((e) => `${e.type} ${e.reason} ${e.message}`);
  }

  /** Starts the informers the controller asked for, then the controller, and lets the caches fill. */
  async start(controller: Controller): Promise<void> {
    this.informers.start(this.stop.signal);
    this.running.push(controller.run(this.stop.signal));
    await this.clock.advance(200);
  }

  /** Advances simulated time in 10 ms steps until `predicate` holds (at most `limitMs`). */
  async until(predicate: () => boolean, what: string, limitMs = 60_000): Promise<void> {
    for (let waited = 0; waited <= limitMs; waited += 10) {
      if (predicate()) return;
      await this.clock.advance(10);
    }
    throw new Error(`timed out after ${limitMs} ms of simulated time waiting for ${what}\nlogs:\n${this.logs.join('\n')}`);
  }

  /** Lets pending work finish without a particular goal (a fixed slice of simulated time). */
  async settle(ms = 1000): Promise<void> {
    for (let waited = 0; waited < ms; waited += 10) await this.clock.advance(10);
  }

  async shutdown(): Promise<void> {
    this.stop.abort();
    this.api.closeWatches();
    await this.clock.advance(1000);
    await Promise.all(this.running);
    await this.informers.shutdown();
  }

  private loggerFor(): Logger {
    return { info: (m) => this.logs?.push(`I ${m}`), warn: (m) => this.logs?.push(`W ${m}`) };
  }
}
