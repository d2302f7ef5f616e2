import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { decodeWatchEventFrames, encodeKubeProtobuf, encodeWatchEventFrame, ProtobufDecodeError } from './index.ts';
import { configMap, pod } from './test-fixtures.ts';

const status: KubeObject = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'too old resource version: 1 (42)',
  reason: 'Expired',
  code: 410,
};

describe('protobuf watch frames', () => {
  it('frames a WatchEvent with a big-endian length and the object in its full envelope', () => {
    const frame = encodeWatchEventFrame('ADDED', configMap);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    // WatchEvent: type (1) = "ADDED", object (2) = RawExtension { raw (1) = "k8s\0" + Unknown … }
    const envelope = encodeKubeProtobuf(configMap);
    expect(frame.subarray(4, 11).toString('hex')).toBe('0a05' + Buffer.from('ADDED').toString('hex'));
    expect(frame.subarray(frame.length - envelope.length)).toEqual(envelope);
    expect(frame.includes(Buffer.from('k8s\0'))).toBe(true);
  });

  it('decodes every complete frame and hands back the incomplete rest', () => {
    const stream = Buffer.concat([encodeWatchEventFrame('ADDED', pod), encodeWatchEventFrame('MODIFIED', configMap), encodeWatchEventFrame('ERROR', status)]);
    const splitAt = stream.length - 10;
    const first = decodeWatchEventFrames(stream.subarray(0, splitAt));
    expect(first.events).toEqual([
      { type: 'ADDED', object: pod },
      { type: 'MODIFIED', object: configMap },
    ]);
    const second = decodeWatchEventFrames(Buffer.concat([first.rest, stream.subarray(splitAt)]));
    expect(second.events).toEqual([{ type: 'ERROR', object: status }]);
    expect(second.rest.length).toBe(0);
  });

  it('waits for the length prefix itself to arrive', () => {
    const frame = encodeWatchEventFrame('DELETED', configMap);
    expect(decodeWatchEventFrames(frame.subarray(0, 3))).toEqual({ events: [], rest: frame.subarray(0, 3) });
  });

  it('rejects a complete frame that is not a WatchEvent', () => {
    const garbage = Buffer.from([0, 0, 0, 3, 0x0a, 0x05, 0x41]);
    expect(() => decodeWatchEventFrames(garbage)).toThrow(ProtobufDecodeError);
    expect(() => decodeWatchEventFrames(garbage)).toThrow(/^watch event: .*runs past the end/);
  });
});
