// Watches: a long GET (`?watch=true`) whose body is a stream of {"type","object"} events. The
// consumer iterates events; `stop()` ends the stream from the client side at any time. The
// stream ends quietly when the server closes it (timeoutSeconds), when the client's deadline
// passes, or when the connection drops — the caller just watches again from the last
// resourceVersion it saw. Errors inside the stream arrive as ERROR events carrying a Status;
// 410 (too old resource version) carries an ExpiredError, the reflector's cue to relist.
import { isJsonObject, type KubeObject, type Status } from '@k8ts/api';
import { failureStatus, isConnectionBroken, StatusError, UNEXPECTED_SERVER_RESPONSE } from './errors.ts';
import { JsonFrameReader } from './json-frames.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status; error: StatusError };

export interface Watch<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the watch; iteration finishes without error. Safe to call more than once. */
  stop(): void;
}

const OBJECT_EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/** The ERROR event StreamWatcher reports when the stream is not understood (reason ClientWatchDecoding). */
function decodingErrorEvent(problem: string): WatchEvent<never> {
  const message = `unable to decode an event from the watch stream: ${problem}`;
  const status = failureStatus(500, 'InternalError', `an error on the server (${JSON.stringify(message)}) has prevented the request from succeeding`, {
    causes: [
      { reason: UNEXPECTED_SERVER_RESPONSE, message },
      { reason: 'ClientWatchDecoding', message },
    ],
  });
  return { type: 'ERROR', object: status, error: StatusError.fromStatus(status) };
}

/** One event from its JSON text; anything malformed becomes a decoding ERROR event. */
export function decodeWatchEvent<T extends KubeObject>(text: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return decodingErrorEvent((err as Error).message);
  }
  if (!isJsonObject(parsed) || !isJsonObject(parsed.object)) return decodingErrorEvent('event has no object');
  const type = parsed.type;
  if (type === 'ERROR') {
    const status = parsed.object as unknown as Status;
    return { type, object: status, error: StatusError.fromStatus(status) };
  }
  if (typeof type !== 'string' || !OBJECT_EVENT_TYPES.has(type)) return decodingErrorEvent(`got invalid watch event type: ${String(type)}`);
  if (!isJsonObject(parsed.object.metadata)) return decodingErrorEvent('event object has no metadata');
  return { type, object: parsed.object as unknown as T } as WatchEvent<T>;
}

/** A watch over a response body; `cancel` aborts the underlying request. */
export class StreamWatch<T extends KubeObject = KubeObject> implements Watch<T> {
  private stopped = false;

  constructor(
    private readonly body: AsyncIterable<Uint8Array>,
    private readonly cancel: () => void,
  ) {}

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancel();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    const frames = new JsonFrameReader();
    try {
      for await (const chunk of this.body) {
        for (const text of frames.push(chunk)) {
          if (this.stopped) return;
          yield decodeWatchEvent<T>(text);
        }
        if (frames.error) {
          yield decodingErrorEvent(frames.error.message);
          return;
        }
      }
      // A partial object left at the end is a connection cut mid-event (Go's io.ErrUnexpectedEOF),
      // which ends a watch as quietly as a clean close.
    } catch (err) {
      // Our own stop or deadline, or a dropped connection: the watch simply ended.
      if (this.stopped || isConnectionBroken(err) || (err as Error).name === 'AbortError') return;
      yield decodingErrorEvent((err as Error).message);
    } finally {
      this.stop();
    }
  }
}

/**
 * A watch whose events the test (or any in-process producer) pushes — client-go's
 * watch.FakeWatcher. Events queue until consumed; `stop()` ends the stream after them.
 */
export class FakeWatch<T extends KubeObject = KubeObject> implements Watch<T> {
  private readonly queue: WatchEvent<T>[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  get isStopped(): boolean {
    return this.ended;
  }

  add(object: T): void {
    this.push({ type: 'ADDED', object });
  }

  modify(object: T): void {
    this.push({ type: 'MODIFIED', object });
  }

  delete(object: T): void {
    this.push({ type: 'DELETED', object });
  }

  bookmark(resourceVersion: string): void {
    this.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion } } as T });
  }

  error(status: Status): void {
    this.push({ type: 'ERROR', object: status, error: StatusError.fromStatus(status) });
  }

  stop(): void {
    this.ended = true;
    this.wake?.();
  }

  private push(event: WatchEvent<T>): void {
    if (this.ended) return;
    this.queue.push(event);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    for (;;) {
      const event = this.queue.shift();
      if (event) {
        yield event;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
