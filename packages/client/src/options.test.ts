import { describe, expect, it } from 'vitest';
import { formatGoDuration } from './go-duration.ts';
import { encodeQuery, listQuery, writeQuery } from './options.ts';

describe('listQuery + encodeQuery', () => {
  it('writes a reflector watch exactly as client-go does (sorted keys, Go escaping)', () => {
    const query = listQuery({ fieldSelector: 'metadata.name=web', resourceVersion: '1007', timeoutSeconds: 376, allowWatchBookmarks: true }, true);
    expect(encodeQuery(query)).toBe('allowWatchBookmarks=true&fieldSelector=metadata.name%3Dweb&resourceVersion=1007&timeoutSeconds=376&watch=true');
  });

  it('omits zero values and escapes selectors like url.QueryEscape', () => {
    expect(encodeQuery(listQuery({ limit: 0, resourceVersion: '', allowWatchBookmarks: false }))).toBe('');
    expect(encodeQuery(listQuery({ labelSelector: 'tier in (a b),!x', limit: 500 }))).toBe('labelSelector=tier+in+%28a+b%29%2C%21x&limit=500');
    expect(encodeQuery([['x', '~*é']])).toBe('x=~%2A%C3%A9');
  });

  it('sends sendInitialEvents=false when set, as a Go pointer field', () => {
    expect(encodeQuery(listQuery({ sendInitialEvents: false }))).toBe('sendInitialEvents=false');
  });

  it('keeps repeated keys in order', () => {
    expect(encodeQuery(writeQuery({ dryRun: ['All'], fieldManager: 'kubectl-edit', force: true, fieldValidation: 'Strict' }))).toBe(
      'dryRun=All&fieldManager=kubectl-edit&fieldValidation=Strict&force=true',
    );
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [579_000, '9m39s'],
    [3_600_000, '1h0m0s'],
    [5_445_250, '1h30m45.25s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
