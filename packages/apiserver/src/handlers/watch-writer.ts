// A watch response's lines, written to the socket in batches. Kubernetes' watch server flushes
// only when no further event is queued for the watcher; the Node.js equivalent is to gather
// every line written during one turn of the event loop and hand them to the socket together
// once the turn's I/O has been processed (setImmediate). A busy apiserver fans hundreds of
// events a second out to each watcher: one write per event per watcher made the kernel's
// loopback send path (writev) the largest single cost in its profile.

export interface LineSink {
  write(chunk: Buffer): void;
  /** bytes accepted but not yet handed to the kernel */
  readonly writableLength: number;
}

export class WatchWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;

  constructor(
    private readonly sink: LineSink,
    /** runs `flush` after the current turn's I/O; injected so tests decide when */
    private readonly defer: (flush: () => void) => void = setImmediate,
  ) {}

  /** Bytes written but not yet sent, here or in the sink: what the client has not taken yet. */
  get backlogBytes(): number {
    return this.pendingBytes + this.sink.writableLength;
  }

  write(line: string | Buffer): void {
    const chunk = typeof line === 'string' ? Buffer.from(line) : line;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.flush());
  }

  /** Hands everything written so far to the sink as one chunk. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.sink.write(chunk);
  }
}
