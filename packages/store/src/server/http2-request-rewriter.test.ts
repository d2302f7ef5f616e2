// The frame layer of the rewriter: what reaches the server for client byte streams cut anywhere.
import { describe, expect, it } from 'vitest';
import { HpackDecoder, HpackError, type HeaderField } from './hpack.ts';
import { Http2ConnectionError, RequestHeaderRewriter } from './http2-request-rewriter.ts';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const DATA = 0x0;
const HEADERS = 0x1;
const SETTINGS = 0x4;
const PUSH_PROMISE = 0x5;
const CONTINUATION = 0x9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

function parseFrames(stream: Buffer): Frame[] {
  const frames: Frame[] = [];
  for (let pos = 0; pos < stream.length; ) {
    const length = stream.readUIntBE(pos, 3);
    frames.push({ type: stream[pos + 3], flags: stream[pos + 4], streamId: stream.readUInt32BE(pos + 5), payload: stream.subarray(pos + 9, pos + 9 + length) });
    pos += 9 + length;
  }
  return frames;
}

/** RFC 7541 C.4: three requests whose blocks refer to the client's dynamic table (with Huffman). */
const REQUEST_BLOCKS = [
  hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'),
  hex('8286 84be 5886 a8eb 1064 9cbf'),
  hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'),
];

/** Replaces the authority, to see that the server gets the rewritten list. */
const renameHost = (fields: HeaderField[]) => fields.map((f) => (f.name === ':authority' ? { ...f, value: 'renamed:1' } : f));

/** Feeds the stream in chunks of the given sizes (the rest in one chunk) and joins the output. */
function rewriteInChunks(stream: Buffer, chunkSizes: number[], rewriter = new RequestHeaderRewriter(renameHost)): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (const size of [...chunkSizes, stream.length]) {
    if (pos >= stream.length) break;
    out.push(...rewriter.push(stream.subarray(pos, pos + size)));
    pos += size;
  }
  return Buffer.concat(out);
}

/** What the server's decoder makes of the header frames (each a whole block here). */
function serverView(stream: Buffer) {
  const decoder = new HpackDecoder();
  const frames = parseFrames(stream.subarray(PREFACE.length));
  return {
    frames,
    headerLists: frames.filter((f) => f.type === HEADERS).map((f) => decoder.decode(f.payload).map(({ name, value }) => [name, value])),
    decoderTableSize: decoder.dynamicTableSize,
  };
}

const settings = frame(SETTINGS, 0, 0, hex('0003 0000 0064'));
const data = (streamId: number) => frame(DATA, END_STREAM, streamId, Buffer.from(`body of ${streamId}`));
const clientStream = Buffer.concat([
  PREFACE,
  settings,
  frame(HEADERS, END_HEADERS, 1, REQUEST_BLOCKS[0]),
  data(1),
  frame(HEADERS, END_HEADERS, 3, REQUEST_BLOCKS[1]),
  data(3),
  frame(HEADERS, END_HEADERS | END_STREAM, 5, REQUEST_BLOCKS[2]),
]);
const expectedLists = [
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'renamed:1']],
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'renamed:1'], ['cache-control', 'no-cache']],
  [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'renamed:1'], ['custom-key', 'custom-value']],
];

describe('RequestHeaderRewriter', () => {
  it('re-encodes every header block, rewritten, and forwards all other frames as they were', () => {
    const out = rewriteInChunks(clientStream, []);
    expect(out.subarray(0, PREFACE.length)).toEqual(PREFACE);
    const { frames, headerLists, decoderTableSize } = serverView(out);
    expect(headerLists).toEqual(expectedLists);
    expect(decoderTableSize).toBe(0);
    expect(frames.map((f) => [f.type, f.flags, f.streamId])).toEqual([
      [SETTINGS, 0, 0],
      [HEADERS, END_HEADERS, 1],
      [DATA, END_STREAM, 1],
      [HEADERS, END_HEADERS, 3],
      [DATA, END_STREAM, 3],
      [HEADERS, END_HEADERS | END_STREAM, 5],
    ]);
    expect(frames[0].payload).toEqual(settings.subarray(9));
    expect(frames[2].payload.toString()).toBe('body of 1');
  });

  it('gives the same output however the input is cut', () => {
    const whole = rewriteInChunks(clientStream, []);
    const byteByByte = rewriteInChunks(clientStream, Array(clientStream.length).fill(1));
    expect(byteByByte).toEqual(whole);
    for (let seed = 1; seed <= 50; seed++) {
      const sizes = Array.from({ length: 40 }, (_, i) => 1 + ((seed * 7919 + i * 104729) % 23));
      expect(rewriteInChunks(clientStream, sizes)).toEqual(whole);
    }
  });

  it('forwards frames other than headers as slices of the input, without copying', () => {
    const input = Buffer.concat([PREFACE, settings, data(1), data(3)]);
    const out = new RequestHeaderRewriter(renameHost).push(input);
    expect(out).toHaveLength(1);
    expect(out[0].buffer).toBe(input.buffer);
    expect(out[0]).toEqual(input);
  });

  it('drops padding and keeps PRIORITY fields', () => {
    const priority = hex('8000 0003 0f');
    const payload = Buffer.concat([Buffer.from([4]), priority, REQUEST_BLOCKS[0], Buffer.alloc(4)]);
    const out = rewriteInChunks(Buffer.concat([PREFACE, frame(HEADERS, END_HEADERS | END_STREAM | PADDED | PRIORITY, 1, payload)]), []);
    const [headers] = parseFrames(out.subarray(PREFACE.length));
    expect(headers.flags).toBe(END_HEADERS | END_STREAM | PRIORITY);
    expect(headers.payload.subarray(0, 5)).toEqual(priority);
    expect(new HpackDecoder().decode(headers.payload.subarray(5)).map((f) => f.value)).toEqual(['GET', 'http', '/', 'renamed:1']);
  });

  it('joins CONTINUATION frames into one block', () => {
    const block = REQUEST_BLOCKS[0];
    const stream = Buffer.concat([
      PREFACE,
      frame(HEADERS, END_STREAM, 1, block.subarray(0, 3)),
      frame(CONTINUATION, 0, 1, block.subarray(3, 7)),
      frame(CONTINUATION, END_HEADERS, 1, block.subarray(7)),
      data(1),
    ]);
    const { frames, headerLists } = serverView(rewriteInChunks(stream, [30, 5]));
    expect(frames.map((f) => [f.type, f.flags])).toEqual([[HEADERS, END_HEADERS | END_STREAM], [DATA, END_STREAM]]);
    expect(headerLists).toEqual([expectedLists[0]]);
  });

  it('splits a block larger than a frame into HEADERS and CONTINUATION frames', () => {
    const big = 'x'.repeat(40_000);
    const rewriter = new RequestHeaderRewriter((fields) => [...fields, { name: 'x-big', value: big, neverIndexed: false }]);
    const out = rewriteInChunks(Buffer.concat([PREFACE, frame(HEADERS, END_HEADERS | END_STREAM, 1, REQUEST_BLOCKS[0])]), [], rewriter);
    const frames = parseFrames(out.subarray(PREFACE.length));
    expect(frames.map((f) => [f.type, f.flags])).toEqual([
      [HEADERS, END_STREAM],
      [CONTINUATION, 0],
      [CONTINUATION, END_HEADERS],
    ]);
    expect(frames.every((f) => f.payload.length <= 16_384)).toBe(true);
    const fields = new HpackDecoder().decode(Buffer.concat(frames.map((f) => f.payload)));
    expect(fields.at(-1)).toEqual({ name: 'x-big', value: big, neverIndexed: false });
  });

  it('passes a stream that is not HTTP/2 through untouched', () => {
    const request = Buffer.from('GET / HTTP/1.1\r\nHost: http://x/\r\n\r\n');
    expect(rewriteInChunks(request, [3, 1, 2])).toEqual(request);
  });

  describe('refuses', () => {
    const refuses = (frames: Buffer[], error: new (message: string) => Error = Http2ConnectionError) =>
      expect(() => new RequestHeaderRewriter(renameHost).push(Buffer.concat([PREFACE, ...frames]))).toThrow(error);

    it('a header block interrupted by another frame', () => refuses([frame(HEADERS, 0, 1, REQUEST_BLOCKS[0]), data(1)]));
    it('CONTINUATION without HEADERS', () => refuses([frame(CONTINUATION, END_HEADERS, 1, REQUEST_BLOCKS[0])]));
    it('CONTINUATION of another stream', () =>
      refuses([frame(HEADERS, 0, 1, REQUEST_BLOCKS[0]), frame(CONTINUATION, END_HEADERS, 3, Buffer.alloc(0))]));
    it('PUSH_PROMISE from a client', () => refuses([frame(PUSH_PROMISE, END_HEADERS, 1, hex('0000 0002 82'))]));
    it('header frames larger than the frame size', () => refuses([frame(HEADERS, END_HEADERS, 1, Buffer.alloc(16_385))]));
    it('padding longer than the payload', () => refuses([frame(HEADERS, END_HEADERS | PADDED, 1, hex('05 8286'))]));
    it('a malformed header block', () => refuses([frame(HEADERS, END_HEADERS, 1, hex('80'))], HpackError));
  });
});
