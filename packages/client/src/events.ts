// The event recorder (client-go's tools/record): components report what they did to an object —
// "Scheduled", "Pulled", "ScalingReplicaSet" — as core/v1 Events that `kubectl describe` and
// `kubectl get events` show. Recording never blocks or fails the caller: events are queued and
// written in order in the background, repeats are folded into one Event by PATCHing its count
// (event-correlator.ts), and a write that fails for network reasons is retried up to 12 times,
// 10 s apart; one the server rejects is dropped.
import type { JsonObject, KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { realClock, sleep, type Clock } from './clock.ts';
import { isAlreadyExists, StatusError } from './errors.ts';
import { EventCorrelator, type CoreEvent, type EventSource, type ObjectReference } from './event-correlator.ts';
import { errorMessage, stderrLogger, type Logger } from './logger.ts';
import type { RestClient } from './rest-client.ts';

export type EventType = 'Normal' | 'Warning';

/** Where events are written; eventSinkFor gives the apiserver one. */
export interface EventSink {
  create(event: CoreEvent): Promise<CoreEvent>;
  patch(event: CoreEvent, patch: JsonObject): Promise<CoreEvent>;
}

export function eventSinkFor(client: RestClient): EventSink {
  const events = client.forKind<CoreEvent>({ group: '', version: 'v1', kind: 'Event' });
  return {
    create: (event) => events.namespace(event.metadata.namespace ?? 'default').create(event),
    patch: (event, patch) => events.namespace(event.metadata.namespace ?? 'default').patch(event.metadata.name!, 'strategic', patch),
  };
}

/** ref.GetReference: the involvedObject naming `obj`. Objects must carry apiVersion and kind. */
export function getReference(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj) || obj.metadata === undefined) return { ...(obj as ObjectReference) };
  const object = obj as KubeObject;
  if (!object.kind || !object.apiVersion) throw new Error('object does not carry apiVersion and kind; cannot refer to it');
  const { name, namespace, uid, resourceVersion } = object.metadata;
  return {
    kind: object.kind,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...(uid ? { uid } : {}),
    apiVersion: object.apiVersion,
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

/** client-go's maxTriesPerEvent and defaultSleepDuration. */
const MAX_TRIES_PER_EVENT = 12;
const RETRY_SLEEP_MS = 10_000;
/** client-go's broadcaster queue length; beyond it events are dropped rather than piling up. */
const MAX_QUEUED_EVENTS = 1000;

export interface EventRecorderOptions {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** default: the one namer of this process */
  namer?: EventNamer;
}

/**
 * The sub-millisecond part of event names: client-go's nanosecond clock tells events apart; a
 * millisecond clock needs a count of the events named in that millisecond. One namer serves the
 * whole process by default, because the many recorders of one controller-manager (the PV
 * binder's and the provisioner's) may name events about one object in the same millisecond.
 */
export class EventNamer {
  private ms = -1;
  private count = 0;

  /** "<object name>.<unix nanoseconds in hex>", as client-go names events. */
  name(objectName: string, ms: number): string {
    this.count = ms === this.ms ? this.count + 1 : 0;
    this.ms = ms;
    return `${objectName}.${(BigInt(Math.floor(ms)) * 1_000_000n + BigInt(this.count)).toString(16)}`;
  }
}

const PROCESS_EVENT_NAMER = new EventNamer();

export class EventRecorder {
  private readonly correlator = new EventCorrelator();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private queued = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly namer: EventNamer;

  constructor(
    private readonly sink: EventSink,
    readonly source: EventSource,
    options: EventRecorderOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? stderrLogger;
    this.namer = options.namer ?? PROCESS_EVENT_NAMER;
  }

  /** Records an event about `object` (written in the background). */
  event(object: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (type !== 'Normal' && type !== 'Warning') {
      this.logger.warn(`Unsupported event type: '${String(type)}'`);
      return;
    }
    let ref: ObjectReference;
    try {
      ref = getReference(object);
    } catch (err) {
      this.logger.warn(`Could not construct reference to object due to: '${errorMessage(err)}'. Will not report event: '${type}' '${reason}' '${message}'`);
      return;
    }
    if (this.queued >= MAX_QUEUED_EVENTS) {
      this.logger.warn(`event queue is full; dropping event '${type}' '${reason}' '${message}'`);
      return;
    }
    const event = this.makeEvent(ref, type, reason, message);
    this.queued++;
    this.writing = this.writing
      .then(() => this.write(event))
      .catch((err) => this.logger.warn(`Unable to write event '${describe(event)}': ${errorMessage(err)}`))
      .finally(() => this.queued--);
  }

  /** Resolves once every event recorded so far has been written or given up on. */
  flush(): Promise<void> {
    return this.writing;
  }

  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string): CoreEvent {
    const now = this.clock.now();
    const timestamp = formatRfc3339(Math.floor(now / 1000));
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.namer.name(ref.name ?? '', now), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      source: { ...(this.source.component ? { component: this.source.component } : {}), ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      type,
      reportingComponent: this.source.component ?? '',
      reportingInstance: this.source.host ?? '',
    };
  }

  private async write(event: CoreEvent): Promise<void> {
    const { event: toWrite, patch } = this.correlator.observe(event);
    for (let tries = 1; ; tries++) {
      if (await this.tryWrite(toWrite, patch)) return;
      if (tries >= MAX_TRIES_PER_EVENT) {
        this.logger.warn(`Unable to write event '${describe(toWrite)}' (retry limit exceeded!)`);
        return;
      }
      // The first retry is randomized so many recorders that lost the apiserver do not return at once.
      await sleep(this.clock, tries === 1 ? RETRY_SLEEP_MS * this.random() : RETRY_SLEEP_MS);
    }
  }

  /** True when done with the event (written, or rejected for good); false to retry. */
  private async tryWrite(event: CoreEvent, patch: JsonObject | undefined): Promise<boolean> {
    let written: CoreEvent | undefined;
    let failure: unknown;
    const isRepeat = patch !== undefined && (event.count ?? 0) > 1;
    if (isRepeat) {
      try {
        written = await this.sink.patch(event, patch);
      } catch (err) {
        failure = err;
      }
    }
    // The Event may have expired (events live an hour) since we last wrote it: create it anew.
    if (!isRepeat || (failure instanceof StatusError && failure.code === 404)) {
      const { resourceVersion: _dropped, ...metadata } = event.metadata;
      try {
        written = await this.sink.create({ ...event, metadata });
        failure = undefined;
      } catch (err) {
        failure = err;
      }
    }
    if (failure === undefined && written !== undefined) {
      this.correlator.updateState(written);
      return true;
    }
    if (failure instanceof StatusError) {
      const expected = isAlreadyExists(failure) || (failure.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
      if (!expected) this.logger.warn(`Server rejected event '${describe(event)}': '${failure.message}' (will not retry!)`);
      return true;
    }
    this.logger.warn(`Unable to write event: '${describe(event)}': '${errorMessage(failure)}'(may retry after sleeping)`);
    return false;
  }
}

function describe(event: CoreEvent): string {
  const o = event.involvedObject;
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name} ${event.type} ${event.reason}: ${event.message}`;
}
