/**
 * Whether a URL's host is this machine or a network near it: loopback, private, shared,
 * link-local (cloud metadata included), multicast and reserved addresses, in IPv4 and
 * IPv6 (with IPv4 embedded: mapped, compatible, NAT64, 6to4), and names that only resolve
 * locally. A link in the studio must never send the system browser there.
 *
 * Takes a hostname as the WHATWG URL parser leaves it (IPv4 in dotted decimal, IPv6 in
 * brackets, lower case); other spellings of the same addresses are recognised too.
 */

/** [first address, prefix length] of every IPv4 range that is not the public internet. */
const LOCAL_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

/** Names that resolve only on this machine or its network (RFC 6761, 6762, 8375). */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa', 'lan'];

export function isLocalHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === '') return true;
  if (host.includes(':')) {
    const groups = parseIpv6(host);
    return groups === null ? true : isLocalIpv6(groups);
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) return isLocalIpv4(v4);
  // A single label ("intranet", "router") is resolved through the local search domains.
  if (!host.includes('.')) return true;
  return LOCAL_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

function isLocalIpv4(address: number): boolean {
  return LOCAL_IPV4.some(([first, bits]) => {
    const base = parseIpv4(first) as number;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ((address & mask) >>> 0) === ((base & mask) >>> 0);
  });
}

function isLocalIpv6(g: number[]): boolean {
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  const embedded = (hi: number, lo: number): number => ((hi << 16) >>> 0) + lo;
  if (zeros(0, 7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  if (zeros(0, 5) && g[5] === 0xffff) return isLocalIpv4(embedded(g[6], g[7])); // ::ffff:a.b.c.d
  if (zeros(0, 6)) return isLocalIpv4(embedded(g[6], g[7])); // ::a.b.c.d (deprecated "compatible")
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return isLocalIpv4(embedded(g[6], g[7])); // NAT64
  if (g[0] === 0x2002) return isLocalIpv4(embedded(g[1], g[2])); // 6to4
  if ((g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique local (fc00::/7)
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** Dotted decimal only (what URL parsing produces); null for anything else. */
function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Eight 16-bit groups, or null when `text` is not an IPv6 address. */
function parseIpv6(text: string): number[] | null {
  let body = text.split('%')[0]; // a zone id names an interface: local either way
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]);
    if (v4 === null) return null;
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    body = body.slice(0, -dotted[1].length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === '') return [];
    const groups = half.split(':');
    if (!groups.every((x) => /^[0-9a-f]{1,4}$/.test(x))) return null;
    return groups.map((x) => parseInt(x, 16));
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}
