// IP and CIDR parsing as k8s.io/utils/net's "sloppy" parsers do it (IPv4 octets may carry leading
// zeros), plus the address classes validation rejects. Addresses are byte arrays: 4 or 16 bytes.

export type IP = Uint8Array;

function parseIPv4(text: string): IP | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^[0-9]{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIPv6(text: string): IP | undefined {
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap >= 0) {
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
    if (tail.includes('::')) return undefined;
  }
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const first = groups(head);
  const last = groups(tail);
  if (!first || !last) return undefined;
  if (head.includes('.') && gap >= 0) return undefined;
  const fill = 8 - first.length - last.length;
  if ((gap >= 0 && fill < 1) || (gap < 0 && fill !== 0)) return undefined;
  const all = [...first, ...new Array<number>(gap >= 0 ? fill : 0).fill(0), ...last];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** netutils.ParseIPSloppy: an IPv4 or IPv6 address, or undefined. */
export function parseIP(text: string): IP | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

/** The 4-byte form of an IPv4 or IPv4-mapped IPv6 address, as Go's To4. */
export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return undefined;
  return ip[10] === 0xff && ip[11] === 0xff ? ip.slice(12) : undefined;
}

export function isIPv6(ip: IP): boolean {
  return to4(ip) === undefined;
}

export interface CIDR {
  ip: IP;
  prefix: number;
}

/** netutils.ParseCIDRSloppy. */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = ip.length === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  return { ip, prefix };
}

function bitsOf(ip: IP): IP {
  return to4(ip) ?? ip;
}

/** Whether `inner`'s network address lies inside `outer`. */
export function cidrContains(outer: CIDR, inner: CIDR): boolean {
  const a = bitsOf(outer.ip);
  const b = bitsOf(inner.ip);
  if (a.length !== b.length) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((a[bit >> 3] & mask) !== (b[bit >> 3] & mask)) return false;
  }
  return true;
}

export function isUnspecified(ip: IP): boolean {
  return bitsOf(ip).every((b) => b === 0);
}

export function isLoopback(ip: IP): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 127;
  return ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

export function isLinkLocalUnicast(ip: IP): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  return ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(ip: IP): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 224 && v4[1] === 0 && v4[2] === 0;
  return ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
}
