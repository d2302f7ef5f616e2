// Member, cluster and request IDs computed the way etcd computes them, so a k8ts member with
// the same peer URLs and cluster token has the same member ID etcd would give it.
import { createHash } from 'node:crypto';

const sha1First8 = (b: Buffer): bigint => createHash('sha1').update(b).digest().readBigUInt64BE(0);

/** sha1(sorted peer URLs joined + cluster token)[:8], as etcd's NewMember without a timestamp. */
export function computeMemberId(peerUrls: string[], clusterToken: string): string {
  return sha1First8(Buffer.from([...peerUrls].sort().join('') + clusterToken)).toString();
}

/** sha1 of the sorted member IDs as big-endian uint64s, first 8 bytes. */
export function computeClusterId(memberIds: string[]): string {
  const sorted = memberIds.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const b = Buffer.alloc(8 * sorted.length);
  sorted.forEach((id, i) => b.writeBigUInt64BE(id, 8 * i));
  return sha1First8(b).toString();
}

/**
 * etcd's idutil generator: 16 bits of the member ID, then 40 bits of a millisecond timestamp and
 * an 8-bit counter that carries into it — unique across members and restarts.
 */
export class IdGenerator {
  private readonly prefix: bigint;
  private suffix: bigint;

  constructor(memberId: string, nowMs: number) {
    this.prefix = (BigInt(memberId) & 0xffffn) << 48n;
    this.suffix = (BigInt(nowMs) & ((1n << 40n) - 1n)) << 8n;
  }

  next(): bigint {
    this.suffix += 1n;
    return this.prefix | (this.suffix & ((1n << 48n) - 1n));
  }
}
