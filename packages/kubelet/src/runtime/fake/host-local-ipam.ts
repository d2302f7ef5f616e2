// Pod IPs from the node's pod CIDR, like the host-local IPAM plugin behind a bridge network:
// the first address of the range is the bridge gateway (.1), pods get the lowest free address
// from .2 up to the last one before the broadcast address. IPv4 only.
import { RuntimeError } from '../runtime.ts';

function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export class HostLocalIpam {
  /** first and last allocatable address */
  private readonly first: number;
  private readonly last: number;
  private readonly byOwner = new Map<string, number>();
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const [address, bits] = cidr.split('/');
    const base = parseIPv4(address ?? '');
    const prefix = Number(bits);
    if (base === undefined || !Number.isInteger(prefix) || prefix < 1 || prefix > 30) {
      throw new RuntimeError('SandboxNetworkNotReady', `invalid pod CIDR ${JSON.stringify(cidr)}: want an IPv4 CIDR with a prefix of at most /30`);
    }
    const size = 2 ** (32 - prefix);
    const network = base - (base % size);
    this.first = network + 2;
    this.last = network + size - 2;
  }

  /** The owner's address, allocating the lowest free one the first time. */
  allocate(owner: string): string {
    const held = this.byOwner.get(owner);
    if (held !== undefined) return formatIPv4(held);
    for (let ip = this.first; ip <= this.last; ip++) {
      if (this.used.has(ip)) continue;
      this.used.add(ip);
      this.byOwner.set(owner, ip);
      return formatIPv4(ip);
    }
    throw new RuntimeError('SandboxNetworkNotReady', `no IP addresses available in range set: ${formatIPv4(this.first - 1)}-${formatIPv4(this.last)}`);
  }

  release(owner: string): void {
    const ip = this.byOwner.get(owner);
    if (ip === undefined) return;
    this.byOwner.delete(owner);
    this.used.delete(ip);
  }

  allocated(): number {
    return this.used.size;
  }
}
