// The server-side part of etcd's Range: revision filters, then sorting. A sort target other
// than KEY with no order given sorts ascending (the index already yields key order).
import type { KeyValue, RangeOptions } from './types.ts';

export function applyRangeFilters(kvs: KeyValue[], o: RangeOptions): KeyValue[] {
  let out = kvs.filter(
    (kv) =>
      (o.minModRevision <= 0 || kv.mod_revision >= o.minModRevision) &&
      (o.maxModRevision <= 0 || kv.mod_revision <= o.maxModRevision) &&
      (o.minCreateRevision <= 0 || kv.create_revision >= o.minCreateRevision) &&
      (o.maxCreateRevision <= 0 || kv.create_revision <= o.maxCreateRevision),
  );
  const order = o.sortOrder === 'NONE' && o.sortTarget !== 'KEY' ? 'ASCEND' : o.sortOrder;
  if (order === 'NONE') return out;
  const by = sortKey(o.sortTarget);
  out = [...out].sort((a, b) => by(a, b));
  if (order === 'DESCEND') out.reverse();
  return out;
}

function sortKey(target: RangeOptions['sortTarget']): (a: KeyValue, b: KeyValue) => number {
  switch (target) {
    case 'VERSION':
      return (a, b) => a.version - b.version;
    case 'CREATE':
      return (a, b) => a.create_revision - b.create_revision;
    case 'MOD':
      return (a, b) => a.mod_revision - b.mod_revision;
    case 'VALUE':
      return (a, b) => Buffer.compare(a.value, b.value);
    case 'KEY':
      return (a, b) => Buffer.compare(a.key, b.key);
  }
}
