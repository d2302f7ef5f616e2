// Folding repeated events into one (client-go's EventCorrelator, its event logger part). An
// event identical to one already written — same source, object, type, reason and message — is
// not created again: the existing Event gets count+1 and a new lastTimestamp by PATCH. This is
// what `kubectl describe` shows as "(x5 over 2m)". (client-go's aggregation of similar messages
// and its per-object spam filter are not implemented.)
import type { JsonObject, KubeObject } from '@k8ts/api';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component?: string;
  host?: string;
}

/** core/v1 Event. */
export interface CoreEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** What is remembered of an event already written. */
interface Observation {
  count: number;
  firstTimestamp: string | null | undefined;
  name: string | undefined;
  resourceVersion: string | undefined;
}

/** client-go's LRU size for event observations. */
const MAX_OBSERVATIONS = 4096;

/** getEventKey: everything that makes two events "the same". */
function eventKey(event: CoreEvent): string {
  const o = event.involvedObject;
  return [
    event.source?.component,
    event.source?.host,
    o.kind,
    o.namespace,
    o.name,
    o.fieldPath,
    o.uid,
    o.apiVersion,
    event.type,
    event.reason,
    event.message,
  ]
    .map((part) => part ?? '')
    .join('\u0000');
}

export class EventCorrelator {
  /** insertion-ordered, so the first entry is the least recently used */
  private readonly observations = new Map<string, Observation>();

  constructor(private readonly maxEntries = MAX_OBSERVATIONS) {}

  /**
   * The event to write: a new one as is, or a repeat renamed to the existing Event with its
   * count raised, plus the patch that updates it ({count, lastTimestamp, message}).
   */
  observe(event: CoreEvent): { event: CoreEvent; patch?: JsonObject } {
    const key = eventKey(event);
    const last = this.observations.get(key);
    let result: { event: CoreEvent; patch?: JsonObject } = { event };
    if (last && last.count > 0) {
      const repeated: CoreEvent = {
        ...event,
        metadata: { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      const patch: JsonObject = { count: repeated.count!, lastTimestamp: event.lastTimestamp ?? null, message: event.message ?? '' };
      result = { event: repeated, patch };
    }
    this.remember(key, result.event);
    return result;
  }

  /** Records what the server stored (its name and resourceVersion) for the next repeat. */
  updateState(written: CoreEvent): void {
    this.remember(eventKey(written), written);
  }

  private remember(key: string, event: CoreEvent): void {
    this.observations.delete(key);
    this.observations.set(key, {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata.name,
      resourceVersion: event.metadata.resourceVersion,
    });
    if (this.observations.size > this.maxEntries) this.observations.delete(this.observations.keys().next().value!);
  }
}
