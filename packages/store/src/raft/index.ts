// The pure Raft core: ticks and messages in, Ready batches out. See rawnode.ts for how an
// application drives it.
export * from './types.ts';
export { RaftError, RaftStorageError } from './errors.ts';
export type { RaftErrorCode, RaftStorageErrorCode } from './errors.ts';
export { MemoryStorage, emptyHardState, emptySnapshot } from './storage.ts';
export type { InitialState, Storage } from './storage.ts';
export { RawNode, encodeConfChangeJson, decodeConfChangeJson } from './rawnode.ts';
export type { RawNodeOptions, RaftStatus, ProgressStatus } from './rawnode.ts';
export { seededRandom } from './prng.ts';
