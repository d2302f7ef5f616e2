// Splits a byte stream into JSON objects, the framing of a watch response. The apiserver writes
// one event per line, but TCP hands us arbitrary chunks: a chunk may end mid-object or even in
// the middle of a multi-byte UTF-8 character. Like Go's json.Decoder (which client-go uses), the
// framer finds each top-level object by its braces, so newline-separated and back-to-back
// objects both work. Braces, quotes and backslashes are ASCII and never occur inside a UTF-8
// multi-byte sequence, so scanning bytes is safe; text is decoded only once a frame is whole.

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export class JsonFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFrameError';
  }
}

export class JsonFrameReader {
  private buffer = Buffer.alloc(0);
  /** where scanning resumes in `buffer` */
  private scanned = 0;
  /** start of the object being read, -1 between objects */
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** set once the stream turned out not to be JSON objects; nothing more is read */
  error: JsonFrameError | undefined;

  /** Feeds a chunk; returns the objects it completed (before any error), as JSON text. */
  push(chunk: Uint8Array): string[] {
    if (this.error) return [];
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const frames: string[] = [];
    let consumed = 0;
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const byte = this.buffer[i];
      if (this.start < 0) {
        if (isWhitespace(byte)) {
          consumed = i + 1;
          continue;
        }
        if (byte !== OPEN_BRACE) {
          this.error = new JsonFrameError(`invalid character '${String.fromCharCode(byte)}' looking for beginning of value`);
          return frames;
        }
        this.start = i;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          frames.push(this.buffer.toString('utf8', this.start, i + 1));
          this.start = -1;
          consumed = i + 1;
        }
      }
    }
    // Keep only the unfinished object; remember how far it was scanned.
    const keepFrom = this.start >= 0 ? this.start : consumed;
    this.buffer = this.buffer.subarray(keepFrom);
    this.scanned = this.buffer.length;
    if (this.start >= 0) this.start = 0;
    return frames;
  }
}
