import { describe, expect, it } from 'vitest';
import { WatchWriter } from './watch-writer.ts';

function harness() {
  const written: string[] = [];
  const deferred: (() => void)[] = [];
  const sink = { write: (chunk: Buffer) => void written.push(chunk.toString()), writableLength: 0 };
  const writer = new WatchWriter(sink, (flush) => void deferred.push(flush));
  const endTurn = () => deferred.splice(0).forEach((flush) => flush());
  return { written, writer, endTurn, deferred };
}

describe('WatchWriter', () => {
  it('sends the lines of one turn as one chunk, in order, once the turn ends', () => {
    const { written, writer, endTurn, deferred } = harness();
    writer.write('{"type":"ADDED"}\n');
    writer.write(Buffer.from('{"type":"MODIFIED"}\n'));
    writer.write('{"type":"DELETED"}\n');
    expect(written).toEqual([]);
    expect(deferred).toHaveLength(1);
    expect(writer.backlogBytes).toBe(17 + 20 + 19);
    endTurn();
    expect(written).toEqual(['{"type":"ADDED"}\n{"type":"MODIFIED"}\n{"type":"DELETED"}\n']);
    expect(writer.backlogBytes).toBe(0);
  });

  it('starts a new batch after each flush', () => {
    const { written, writer, endTurn } = harness();
    writer.write('a\n');
    endTurn();
    writer.write('b\n');
    writer.write('c\n');
    endTurn();
    expect(written).toEqual(['a\n', 'b\nc\n']);
  });

  it('flushes on demand (before the response ends) and then has nothing left for the turn', () => {
    const { written, writer, endTurn } = harness();
    writer.write('last\n');
    writer.flush();
    expect(written).toEqual(['last\n']);
    endTurn();
    expect(written).toEqual(['last\n']);
  });
});
