// Maps a Service CIDR to allocator offsets. Like Kubernetes, the network address and (for
// IPv4) the broadcast address are never handed out, so offset 0 is the first usable address.
import ipaddr from 'ipaddr.js';

export class ServiceIpRange {
  private readonly base: bigint;
  readonly size: number;
  readonly cidr: string;

  constructor(cidr: string) {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    if (address.kind() !== 'ipv4') throw new Error(`--service-cluster-ip-range ${cidr}: only IPv4 ranges are supported`);
    const hostBits = 32 - prefix;
    if (hostBits < 2) throw new Error(`--service-cluster-ip-range ${cidr} is too small`);
    const network = toBigInt(address.toByteArray()) & ~((1n << BigInt(hostBits)) - 1n);
    this.base = network + 1n;
    this.size = Number((1n << BigInt(hostBits)) - 2n);
    this.cidr = cidr;
  }

  /** The first usable address: where the `kubernetes` Service lives. */
  get first(): string {
    return this.ipAt(0);
  }

  ipAt(offset: number): string {
    return fromBigInt(this.base + BigInt(offset));
  }

  /** The offset of `ip`, or undefined when it is outside the usable range. */
  offsetOf(ip: string): number | undefined {
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) return undefined;
    const offset = toBigInt(ipaddr.IPv4.parse(ip).toByteArray()) - this.base;
    return offset >= 0n && offset < BigInt(this.size) ? Number(offset) : undefined;
  }

  /** Kubernetes keeps the lower band (min(max(16, size/16), 256) addresses) for addresses users choose. */
  get staticBand(): number {
    return Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
  }
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBigInt(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 255n)).join('.');
}
