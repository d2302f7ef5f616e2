import { describe, expect, it } from 'vitest';
import { ExpiredError } from './errors.ts';
import { JsonFrameError, JsonFrameReader } from './json-frames.ts';
import { decodeWatchEvent, FakeWatch, StreamWatch, type WatchEvent } from './watch.ts';
import type { KubeObject } from '@k8ts/api';

describe('JsonFrameReader', () => {
  it('finds objects however the stream is chunked', () => {
    const text = '{"type":"ADDED","object":{"metadata":{"name":"a}{\\"b"}}}\n{"type":"DELETED","object":{"metadata":{"name":"ü"}}}\n';
    const bytes = Buffer.from(text);
    // Every possible single cut point, including inside the two-byte "ü" and inside escapes.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const reader = new JsonFrameReader();
      const frames = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
      expect(frames.map((f) => JSON.parse(f).object.metadata.name), `cut at ${cut}`).toEqual(['a}{"b', 'ü']);
    }
  });

  it('accepts objects back to back without newlines, and byte-by-byte delivery', () => {
    const reader = new JsonFrameReader();
    const frames: string[] = [];
    for (const byte of Buffer.from('{"a":[1,{"b":2}]}{"c":"}"}  ')) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames).toEqual(['{"a":[1,{"b":2}]}', '{"c":"}"}']);
  });

  it('stops at a stream that is not JSON objects, keeping the objects before it', () => {
    const reader = new JsonFrameReader();
    expect(reader.push(Buffer.from('{"a":1}\n<html>{"b":2}'))).toEqual(['{"a":1}']);
    expect(reader.error).toBeInstanceOf(JsonFrameError);
    expect(reader.error?.message).toBe(`invalid character '<' looking for beginning of value`);
    expect(reader.push(Buffer.from('{"c":3}'))).toEqual([]);
  });
});

describe('decodeWatchEvent', () => {
  it('decodes object events', () => {
    expect(decodeWatchEvent('{"type":"MODIFIED","object":{"metadata":{"name":"a"}}}')).toEqual({ type: 'MODIFIED', object: { metadata: { name: 'a' } } });
  });

  it('gives ERROR events a typed error: 410 is an ExpiredError', () => {
    const event = decodeWatchEvent('{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (20)","reason":"Expired","code":410}}');
    expect(event.type).toBe('ERROR');
    expect(event.type === 'ERROR' && event.error).toBeInstanceOf(ExpiredError);
  });

  it('turns an unknown event type into client-go\'s decoding error', () => {
    const event = decodeWatchEvent('{"type":"RENAMED","object":{"metadata":{}}}');
    expect(event.type === 'ERROR' && event.error.message).toBe(
      'an error on the server ("unable to decode an event from the watch stream: got invalid watch event type: RENAMED") has prevented the request from succeeding',
    );
    expect(event.type === 'ERROR' && event.error.status.details?.causes?.[1]).toEqual({
      reason: 'ClientWatchDecoding',
      message: 'unable to decode an event from the watch stream: got invalid watch event type: RENAMED',
    });
  });
});

async function collect(watch: AsyncIterable<WatchEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of watch) seen.push(event.type === 'ERROR' ? `ERROR ${event.error.code}` : `${event.type} ${event.object.metadata.name ?? ''}`);
  return seen;
}

describe('StreamWatch', () => {
  it('ends quietly on a dropped connection, even mid-event', async () => {
    const body = (async function* () {
      yield Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"ADD');
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    })();
    let cancelled = 0;
    expect(await collect(new StreamWatch(body, () => cancelled++))).toEqual(['ADDED a']);
    expect(cancelled).toBe(1);
  });

  it('reports garbage in the stream as an ERROR event and stops', async () => {
    const body = (async function* () {
      yield Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\nnot json');
      yield Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"b"}}}');
    })();
    expect(await collect(new StreamWatch(body, () => {}))).toEqual(['ADDED a', 'ERROR 500']);
  });
});

describe('FakeWatch', () => {
  it('delivers pushed events in order and ends after stop', async () => {
    const watch = new FakeWatch<KubeObject>();
    const seen = collect(watch);
    watch.add({ metadata: { name: 'a' } });
    watch.modify({ metadata: { name: 'a' } });
    watch.bookmark('9');
    watch.stop();
    watch.delete({ metadata: { name: 'late' } });
    expect(await seen).toEqual(['ADDED a', 'MODIFIED a', 'BOOKMARK ']);
  });
});
