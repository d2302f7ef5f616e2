// MVCC errors carry etcd's wording; the gRPC layer maps codes to etcd's status codes.

export type MvccErrorCode = 'COMPACTED' | 'FUTURE_REV';

export class MvccError extends Error {
  constructor(
    readonly code: MvccErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const compactedError = () => new MvccError('COMPACTED', 'mvcc: required revision has been compacted');
export const futureRevError = () => new MvccError('FUTURE_REV', 'mvcc: required revision is a future revision');
