// A watch read straight off the wire: the response's lines as they arrive, so tests can check
// the framing (one JSON event per line) as well as the events themselves.
import http from 'node:http';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: {
    kind?: string;
    apiVersion?: string;
    metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> };
    data?: Record<string, string>;
    code?: number;
    reason?: string;
    message?: string;
    status?: string;
  };
}

export class WatchStream {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** every complete line received, in order */
  readonly lines: string[] = [];
  /** resolves when the server ends the response */
  readonly ended: Promise<void>;
  private readonly waiters: (() => void)[] = [];
  private consumed = 0;
  private partial = '';
  private done = false;

  private constructor(private readonly response: http.IncomingMessage) {
    this.status = response.statusCode ?? 0;
    this.headers = response.headers;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.wake();
    });
    this.ended = new Promise((resolve) => {
      const finish = () => {
        if (this.partial !== '') this.lines.push(this.partial);
        this.partial = '';
        this.done = true;
        this.wake();
        resolve();
      };
      response.on('end', finish);
      response.on('close', finish);
    });
  }

  /** Opens `GET path` (path includes the watch query) and waits for the response headers. */
  static open(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
    const base = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const request = http.get({ host: base.hostname, port: base.port, path, headers, agent: false }, (response) => resolve(new WatchStream(response)));
      request.on('error', reject);
    });
  }

  get isEnded(): boolean {
    return this.done;
  }

  /** The next event, parsed from the next line; fails after `timeoutMs` or at the end of the stream. */
  async next(timeoutMs = 10_000): Promise<WatchEvent> {
    const deadline = Date.now() + timeoutMs;
    while (this.consumed >= this.lines.length) {
      if (this.done) throw new Error(`watch ended; lines so far:\n${this.lines.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no watch event in ${timeoutMs} ms; lines so far:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return JSON.parse(this.lines[this.consumed++]!) as WatchEvent;
  }

  /** The next `count` events. */
  async take(count: number, timeoutMs = 10_000): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    for (let i = 0; i < count; i++) events.push(await this.next(timeoutMs));
    return events;
  }

  /** Events received so far and not yet taken, without waiting. */
  drain(): WatchEvent[] {
    const rest = this.lines.slice(this.consumed).map((l) => JSON.parse(l) as WatchEvent);
    this.consumed = this.lines.length;
    return rest;
  }

  close(): void {
    this.response.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
