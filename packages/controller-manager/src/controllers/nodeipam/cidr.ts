// IPv4 and IPv6 networks as numbers (BigInt), parsed and printed as Go's net package does:
// ParseCIDR keeps the network address ("10.244.3.7/16" → 10.244.0.0/16) and IPv6 prints in
// RFC 5952 form (lower case, the longest run of two or more zero groups as "::").

export interface Cidr {
  family: 4 | 6;
  /** the network address */
  ip: bigint;
  prefix: number;
}

export const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      // An embedded IPv4 address may end the text ("::ffff:10.0.0.1").
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<number>(Math.max(0, missing)).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** net.ParseCIDR; throws "invalid CIDR address: …" as Go words it. */
export function parseCidr(text: string): Cidr {
  const invalid = new Error(`invalid CIDR address: ${text}`);
  const slash = text.indexOf('/');
  if (slash < 0) throw invalid;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const ip = family === 4 ? parseIPv4(address) : parseIPv6(address);
  const bits = bitsOf(family);
  if (ip === undefined || !/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) throw invalid;
  const prefix = Number(prefixText);
  return { family, ip: ip & maskOf(family, prefix), prefix };
}

export function maskOf(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

function formatIPv6(ip: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(16 * (7 - i))) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function formatIp(family: 4 | 6, ip: bigint): string {
  if (family === 6) return formatIPv6(ip);
  return [24n, 16n, 8n, 0n].map((shift) => String((ip >> shift) & 0xffn)).join('.');
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.family, cidr.ip)}/${cidr.prefix}`;
}

/** Whether two networks share any address (one contains the other). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(a.family, prefix);
  return (a.ip & mask) === (b.ip & mask);
}
