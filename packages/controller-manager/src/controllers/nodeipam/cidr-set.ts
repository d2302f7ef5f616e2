// The pool of node subnets carved from one cluster CIDR (nodeipam's cidrset.CidrSet): subnet i
// of size /nodeMaskSize is the cluster network plus i << (bits - nodeMaskSize). Allocation
// scans from just after the last subnet it handed out (wrapping round), so a released subnet
// is not reused at once; occupying marks subnets taken by nodes that already have them.
import { bitsOf, formatCidr, overlaps, parseCidr, type Cidr } from './cidr.ts';

/** The subnet may not be more than 16 bits longer than an IPv6 cluster CIDR (the bitmap's limit). */
const CLUSTER_SUBNET_MAX_DIFF = 16;

export const ERR_NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';
export const ERR_SUBNET_TOO_BIG = 'New CIDR set failed; the node CIDR size is too big';

export class CidrSet {
  readonly cluster: Cidr;
  private readonly maxCidrs: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(
    clusterCidr: string,
    readonly nodeMaskSize: number,
  ) {
    this.cluster = parseCidr(clusterCidr);
    if (this.cluster.family === 6 && nodeMaskSize - this.cluster.prefix > CLUSTER_SUBNET_MAX_DIFF) throw new Error(ERR_SUBNET_TOO_BIG);
    this.maxCidrs = 2 ** (nodeMaskSize - this.cluster.prefix);
  }

  get allocated(): number {
    return this.used.size;
  }

  /** The next free subnet, as "a.b.c.d/n"; throws when none is left. */
  allocateNext(): string {
    if (this.used.size >= this.maxCidrs) throw new Error(ERR_NO_CIDRS_REMAINING);
    let candidate = this.nextCandidate;
    while (this.used.has(candidate)) candidate = (candidate + 1) % this.maxCidrs;
    this.nextCandidate = (candidate + 1) % this.maxCidrs;
    this.used.add(candidate);
    return formatCidr(this.subnet(candidate));
  }

  /** Marks every subnet the CIDR covers (or the one covering it) as used. */
  occupy(cidr: string): void {
    for (const index of this.indices(cidr)) this.used.add(index);
  }

  release(cidr: string): void {
    for (const index of this.indices(cidr)) this.used.delete(index);
  }

  private subnet(index: number): Cidr {
    const shift = BigInt(bitsOf(this.cluster.family) - this.nodeMaskSize);
    return { family: this.cluster.family, ip: this.cluster.ip | (BigInt(index) << shift), prefix: this.nodeMaskSize };
  }

  /** getBeginningAndEndIndices: the subnets a CIDR spans; throws when it is outside the cluster CIDR. */
  private indices(text: string): number[] {
    const cidr = parseCidr(text);
    if (!overlaps(cidr, this.cluster)) throw new Error(`cidr ${text} is out the range of cluster cidr ${formatCidr(this.cluster)}`);
    // A CIDR as large as the cluster's or larger covers every subnet.
    if (cidr.prefix <= this.cluster.prefix) return Array.from({ length: this.maxCidrs }, (_, i) => i);
    const shift = BigInt(bitsOf(cidr.family) - this.nodeMaskSize);
    const first = Number((cidr.ip ^ this.cluster.ip) >> shift);
    const span = cidr.prefix >= this.nodeMaskSize ? 1 : 2 ** (this.nodeMaskSize - cidr.prefix);
    return Array.from({ length: span }, (_, i) => first + i);
  }
}
