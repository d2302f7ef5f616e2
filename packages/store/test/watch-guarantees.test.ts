// The nemesis test's watch checks (support/watch-guarantees.ts) on hand-made watch logs:
// pure, no processes.
import { describe, expect, it } from 'vitest';
import { checkWatchLogs, type WatchedEvent, type WatchLog } from './support/watch-guarantees.ts';

const put = (revision: number, key: string, value: string): WatchedEvent => ({ revision, key, type: 'PUT', value });
const del = (revision: number, key: string): WatchedEvent => ({ revision, key, type: 'DELETE', value: null });
const log = (watcher: string, events: WatchedEvent[], startRevision = 1): WatchLog => ({ watcher, startRevision, events });

describe('checkWatchLogs', () => {
  const history = [put(1, 'a', 'x'), put(2, 'b', 'y'), del(3, 'a'), put(4, 'a', 'z')];
  const acked = [{ opId: 1, key: 'a', value: 'x', revision: 1 }, { opId: 2, key: 'a', value: null, revision: 3 }];

  it('accepts watchers that saw the same events, one lagging, one starting later', () => {
    expect(checkWatchLogs([log('n1', history), log('n2', history.slice(0, 2)), log('n3', history.slice(2), 3)], acked)).toEqual([]);
  });

  it('reports a repeated event (a resumed watch that started too early)', () => {
    expect(checkWatchLogs([log('n1', [...history.slice(0, 3), history[2], history[3]])], [])).toEqual(['n1 saw DELETE:a@3 twice']);
  });

  it('reports a revision going backwards', () => {
    expect(checkWatchLogs([log('n1', [history[0], history[2], history[1]])], [])).toContain('n1 saw PUT:b=y@2 after revision 3');
  });

  it('reports a gap another watcher or an acknowledged write proves', () => {
    expect(checkWatchLogs([log('n1', history), log('n2', [history[0], history[2], history[3]])], [])).toEqual(['n2 skipped revision(s) 2']);
    expect(checkWatchLogs([log('n1', [history[1], history[3]], 2)], [{ opId: 7, key: 'a', value: null, revision: 3 }])).toEqual([
      'n1 skipped revision(s) 3',
      'acknowledged write #7 (DELETE:a@3) was seen by no watcher',
    ]);
  });

  it('reports watchers that disagree on a revision, and an acknowledged write with another value', () => {
    const problems = checkWatchLogs([log('n1', history), log('n2', [history[0], put(2, 'b', 'other')])], [{ opId: 9, key: 'b', value: 'y', revision: 2 }]);
    expect(problems).toEqual(['watchers disagree at revision 2: n1 saw PUT:b=y@2, n2 saw PUT:b=other@2']);
    const lost = checkWatchLogs([log('n1', history)], [{ opId: 5, key: 'b', value: 'w', revision: 2 }]);
    expect(lost).toEqual(['acknowledged write #5 (PUT:b=w@2) but revision 2 holds PUT:b=y@2']);
  });
});
