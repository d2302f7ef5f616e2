// The shapes the MVCC layer hands out. They match mvccpb.KeyValue / mvccpb.Event field names so
// they can go straight onto the wire; revisions are JS numbers (safe far past any real store).

export interface KeyValue {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
  /** lease ID as a decimal string ("0" = none): lease IDs use all 64 bits */
  lease: string;
}

export type EventType = 'PUT' | 'DELETE';

export interface MvccEvent {
  type: EventType;
  kv: KeyValue;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface RangeOptions {
  key: Buffer;
  /** empty: just key; "\0": every key ≥ key; otherwise [key, rangeEnd) */
  rangeEnd: Buffer;
  limit: number;
  /** 0 = current revision */
  revision: number;
  sortOrder: SortOrder;
  sortTarget: SortTarget;
  keysOnly: boolean;
  countOnly: boolean;
  minModRevision: number;
  maxModRevision: number;
  minCreateRevision: number;
  maxCreateRevision: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  more: boolean;
  count: number;
}
