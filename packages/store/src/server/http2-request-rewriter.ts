// Rewrites the header blocks in the client-to-server byte stream of an HTTP/2 connection
// (RFC 9113) and passes every other byte through unchanged.
//
// Every header block must be re-encoded, not just the ones that change: the client's HPACK
// encoder refers to its dynamic table, which the decoder here mirrors, while the server only
// ever sees literals that leave its own dynamic table empty. DATA and all other frames are
// forwarded as slices of the incoming chunks, without copying.
import { encodeWithoutIndexing, HpackDecoder, type HeaderField } from './hpack.ts';

/** The client connection preface (RFC 9113 section 3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

const FRAME_HEADER_LENGTH = 9;
const FrameType = { HEADERS: 0x1, PUSH_PROMISE: 0x5, CONTINUATION: 0x9 } as const;
const Flag = { END_STREAM: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
/** The stream dependency (4 octets) and weight (1 octet) of a HEADERS frame with PRIORITY. */
const PRIORITY_LENGTH = 5;

/**
 * SETTINGS_MAX_FRAME_SIZE at its initial value (RFC 9113 section 6.5.2): grpc-js never raises
 * it, so the server accepts no larger frame, and the frames written here are no larger either.
 */
const MAX_FRAME_SIZE = 16_384;

/** Longer header blocks (over all their CONTINUATION frames) are refused: a bound on memory. */
const MAX_HEADER_BLOCK_LENGTH = 1024 * 1024;

/** The client broke the framing or the compression: the connection must be closed. */
export class Http2ConnectionError extends Error {}

export type HeaderListRewrite = (fields: HeaderField[]) => HeaderField[];

interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

/** A header block whose CONTINUATION frames have not all arrived yet. */
interface OpenHeaderBlock {
  streamId: number;
  endStream: boolean;
  /** The PRIORITY fields of the HEADERS frame, to be sent on; null without PRIORITY. */
  priority: Buffer | null;
  fragments: Buffer[];
  length: number;
}

type State =
  /** Reading the client preface; the bytes are forwarded as they match. */
  | { kind: 'preface'; matched: number }
  /** Not HTTP/2 with prior knowledge: nothing to rewrite, the server answers as it would. */
  | { kind: 'opaque' }
  | { kind: 'frame-header'; filled: number }
  /** Forwarding the payload of a frame that is not rewritten. */
  | { kind: 'forward-payload'; remaining: number }
  /** Collecting the payload of a HEADERS or CONTINUATION frame. */
  | { kind: 'collect-payload'; frame: FrameHeader; payload: Buffer; filled: number };

export class RequestHeaderRewriter {
  private state: State = { kind: 'preface', matched: 0 };
  private readonly frameHeader = Buffer.alloc(FRAME_HEADER_LENGTH);
  private openBlock: OpenHeaderBlock | null = null;
  /** Mirrors the client's encoder; its defaults match a server that kept the initial settings. */
  private readonly decoder = new HpackDecoder();

  constructor(private readonly rewrite: HeaderListRewrite) {}

  /**
   * Takes the next bytes from the client and returns the bytes to send to the server in their
   * place, in order: slices of `chunk` and, for header blocks, new frames. Bytes of a frame
   * header or header block that is not complete yet are held until a later chunk completes it.
   * Throws Http2ConnectionError (or HpackError) on malformed input; the caller must then drop
   * the connection, as the stream can no longer be followed.
   */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    // chunk[forwardFrom, pos) are consumed bytes that go to the server unchanged; they are
    // emitted as one slice when something else has to be emitted or the chunk ends.
    let forwardFrom = 0;
    let pos = 0;
    const forwardUpTo = (end: number) => {
      if (end > forwardFrom) out.push(chunk.subarray(forwardFrom, end));
    };
    while (pos < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'preface': {
          const n = Math.min(PREFACE.length - state.matched, chunk.length - pos);
          if (!chunk.subarray(pos, pos + n).equals(PREFACE.subarray(state.matched, state.matched + n))) {
            this.state = { kind: 'opaque' };
            break;
          }
          pos += n;
          state.matched += n;
          if (state.matched === PREFACE.length) this.state = { kind: 'frame-header', filled: 0 };
          break;
        }
        case 'opaque':
          pos = chunk.length;
          break;
        case 'forward-payload': {
          const n = Math.min(state.remaining, chunk.length - pos);
          pos += n;
          state.remaining -= n;
          if (state.remaining === 0) this.state = { kind: 'frame-header', filled: 0 };
          break;
        }
        case 'frame-header': {
          // A frame header is held until it is whole: only then is it known whether it is sent on.
          const startsInChunk = state.filled === 0;
          const headerStart = pos;
          const n = Math.min(FRAME_HEADER_LENGTH - state.filled, chunk.length - pos);
          chunk.copy(this.frameHeader, state.filled, pos, pos + n);
          state.filled += n;
          pos += n;
          if (state.filled < FRAME_HEADER_LENGTH) {
            forwardUpTo(headerStart);
            forwardFrom = pos;
            break;
          }
          if (this.startFrame()) {
            // Whole in this chunk: it stays inside the slice being forwarded. Otherwise its first
            // octets were held from an earlier chunk, and it goes out as a copy.
            if (!startsInChunk) {
              out.push(Buffer.from(this.frameHeader));
              forwardFrom = pos;
            }
          } else {
            forwardUpTo(headerStart);
            forwardFrom = pos;
            this.endFrameIfComplete(out);
          }
          break;
        }
        case 'collect-payload': {
          const n = Math.min(state.payload.length - state.filled, chunk.length - pos);
          chunk.copy(state.payload, state.filled, pos, pos + n);
          state.filled += n;
          pos += n;
          forwardFrom = pos;
          this.endFrameIfComplete(out);
          break;
        }
      }
    }
    forwardUpTo(pos);
    return out;
  }

  /**
   * Reads the frame header in this.frameHeader and sets the state for the payload. Returns true
   * if the frame is forwarded unchanged, false if it is a header frame to collect.
   */
  private startFrame(): boolean {
    const frame: FrameHeader = {
      length: this.frameHeader.readUIntBE(0, 3),
      type: this.frameHeader[3],
      flags: this.frameHeader[4],
      streamId: this.frameHeader.readUInt32BE(5) & 0x7fffffff,
    };
    if (this.openBlock && frame.type !== FrameType.CONTINUATION) {
      throw new Http2ConnectionError('a header block was interrupted by another frame');
    }
    if (frame.type === FrameType.PUSH_PROMISE) throw new Http2ConnectionError('a client sent PUSH_PROMISE');
    if (frame.type !== FrameType.HEADERS && frame.type !== FrameType.CONTINUATION) {
      this.state = frame.length > 0 ? { kind: 'forward-payload', remaining: frame.length } : { kind: 'frame-header', filled: 0 };
      return true;
    }
    if (frame.length > MAX_FRAME_SIZE) throw new Http2ConnectionError(`a ${frame.length}-octet header frame exceeds the frame size`);
    this.state = { kind: 'collect-payload', frame, payload: Buffer.allocUnsafe(frame.length), filled: 0 };
    return false;
  }

  /** Once a header frame's payload is all in, emits what replaces its block (if it ends it). */
  private endFrameIfComplete(out: Buffer[]): void {
    const state = this.state;
    if (state.kind !== 'collect-payload' || state.filled < state.payload.length) return;
    this.state = { kind: 'frame-header', filled: 0 };
    out.push(...this.endFrame(state.frame, state.payload));
  }

  /** Takes a whole HEADERS or CONTINUATION frame; returns the frames that replace its block once complete. */
  private endFrame(frame: FrameHeader, payload: Buffer): Buffer[] {
    if (frame.type === FrameType.HEADERS) {
      this.openBlock = openHeaderBlock(frame, payload);
    } else {
      const block = this.openBlock;
      if (!block || block.streamId !== frame.streamId) throw new Http2ConnectionError('CONTINUATION without its HEADERS');
      block.fragments.push(payload);
      block.length += payload.length;
      if (block.length > MAX_HEADER_BLOCK_LENGTH) throw new Http2ConnectionError('header block too large');
    }
    if ((frame.flags & Flag.END_HEADERS) === 0) return [];
    const block = this.openBlock!;
    this.openBlock = null;
    const fields = this.decoder.decode(Buffer.concat(block.fragments, block.length));
    return [headerFrames(block, encodeWithoutIndexing(this.rewrite(fields)))];
  }
}

/** The header block fragment and PRIORITY fields of a HEADERS frame, without its padding. */
function openHeaderBlock(frame: FrameHeader, payload: Buffer): OpenHeaderBlock {
  let start = 0;
  let end = payload.length;
  if (frame.flags & Flag.PADDED) {
    if (payload.length < 1) throw new Http2ConnectionError('PADDED HEADERS frame without a pad length');
    start = 1;
    end -= payload[0];
  }
  let priority: Buffer | null = null;
  if (frame.flags & Flag.PRIORITY) {
    priority = payload.subarray(start, start + PRIORITY_LENGTH);
    start += PRIORITY_LENGTH;
  }
  if (end < start) throw new Http2ConnectionError('HEADERS frame padding or priority exceeds its payload');
  const fragment = payload.subarray(start, end);
  return { streamId: frame.streamId, endStream: (frame.flags & Flag.END_STREAM) !== 0, priority, fragments: [fragment], length: fragment.length };
}

/** A HEADERS frame and as many CONTINUATION frames as the block needs, in one buffer. */
function headerFrames(block: OpenHeaderBlock, encoded: Buffer): Buffer {
  const prefix = block.priority ?? Buffer.alloc(0);
  const payloadLength = prefix.length + encoded.length;
  const frameCount = Math.max(1, Math.ceil(payloadLength / MAX_FRAME_SIZE));
  const out = Buffer.allocUnsafe(frameCount * FRAME_HEADER_LENGTH + payloadLength);
  const payload = Buffer.concat([prefix, encoded], payloadLength);
  let pos = 0;
  for (let frame = 0; frame < frameCount; frame++) {
    const from = frame * MAX_FRAME_SIZE;
    const to = Math.min(from + MAX_FRAME_SIZE, payloadLength);
    const last = frame === frameCount - 1;
    let flags = last ? Flag.END_HEADERS : 0;
    if (frame === 0) flags |= (block.endStream ? Flag.END_STREAM : 0) | (block.priority ? Flag.PRIORITY : 0);
    out.writeUIntBE(to - from, pos, 3);
    out[pos + 3] = frame === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
    out[pos + 4] = flags;
    out.writeUInt32BE(block.streamId, pos + 5);
    pos += FRAME_HEADER_LENGTH;
    pos += payload.copy(out, pos, from, to);
  }
  return out;
}
