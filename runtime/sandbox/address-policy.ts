/**
 * The network policy's judgement of one address. Segment runs functions on its own
 * servers: they cannot reach a user's laptop or private network, and nothing may reach a
 * cloud metadata endpoint. So link-local addresses are always refused; loopback and
 * private addresses are allowed on the desktop but marked with a warning (or refused in
 * strict mode). Pure functions: the connection-time enforcement is in live-request.ts.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressKind = 'link-local' | 'loopback' | 'private' | 'public';

export interface Verdict {
  kind: AddressKind;
  /** Why the request is refused, or null when it may go ahead. */
  blocked: string | null;
  /** A note for the request trace (an address Segment could not reach), or null. */
  warning: string | null;
}

function ipv4Octets(text: string): number[] {
  return text.split('.').map(Number);
}

function kindOfIpv4([a, b]: number[]): AddressKind {
  if (a === 169 && b === 254) return 'link-local';
  // 0.0.0.0/8 means "this host": connecting there reaches the machine itself
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 expanded). */
function ipv6Groups(text: string): number[] {
  let address = text.split('%')[0].toLowerCase();
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a, b, c, d] = ipv4Octets(tail);
    address = `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = address.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = parse(rest);
  if (rest === undefined) return front;
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address an IPv6 address carries to the IPv4 network, if any. */
function embeddedIpv4(groups: number[]): number[] | null {
  const low = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
  const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(5) && groups[5] === 0xffff) return low; // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeroUpTo(6) && (groups[6] !== 0 || groups[7] > 1)) return low; // ::a.b.c.d (IPv4-compatible)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return low; // 64:ff9b::/96 (NAT64)
  if (groups[0] === 0x2002) return [groups[1] >> 8, groups[1] & 0xff, groups[2] >> 8, groups[2] & 0xff]; // 2002::/16 (6to4)
  return null;
}

/** The EC2 metadata endpoint over IPv6 sits in a private-looking range, fd00:ec2::254. */
function isEc2MetadataV6(groups: number[]): boolean {
  return groups[0] === 0xfd00 && groups[1] === 0x0ec2 && groups.slice(2, 7).every((g) => g === 0) && groups[7] === 0x254;
}

function kindOfIpv6(text: string): AddressKind {
  const groups = ipv6Groups(text);
  const v4 = embeddedIpv4(groups);
  if (v4) return kindOfIpv4(v4);
  if (isEc2MetadataV6(groups)) return 'link-local';
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] <= 1) return 'loopback'; // ::1, and :: (this host)
  if ((groups[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 (unique local)
  if ((groups[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 (old site-local)
  return 'public';
}

/** The kind of an IP address in text form (v4 dotted, or v6), or null when `text` is not one. */
export function addressKind(text: string): AddressKind | null {
  if (isIPv4(text)) return kindOfIpv4(ipv4Octets(text));
  if (isIPv6(text)) return kindOfIpv6(text);
  return null;
}

/** Names that always mean this machine (RFC 6761), whatever a resolver says. */
function isLoopbackName(hostname: string): boolean {
  // string operations, not a regex: this runs for every request, after lockdown
  const lower = hostname.toLowerCase();
  const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * The verdict for a connection to `address` (an IP address) on behalf of `host` (the name
 * the function used; the same text for a literal address).
 */
export function judgeAddress(address: string, host: string, strict: boolean): Verdict {
  const kind = addressKind(address) ?? (isLoopbackName(address) ? 'loopback' : 'public');
  const shown = host === address ? address : `${host} (${address})`;
  switch (kind) {
    case 'link-local':
      return {
        kind,
        blocked: `${shown} is a link-local address, where cloud metadata endpoints live; functions may never reach link-local addresses`,
        warning: null,
      };
    case 'loopback':
    case 'private':
      if (strict) {
        return {
          kind,
          blocked: `${shown} is a ${kind} address, which Segment's servers could not reach; strict network mode blocks loopback and private addresses`,
          warning: null,
        };
      }
      return { kind, blocked: null, warning: `${shown} is a ${kind} address: Segment's servers could not reach this ${kind} address, so this request would fail on Segment` };
    default:
      return { kind, blocked: null, warning: null };
  }
}

/**
 * The verdict on a URL's host when it can be judged without resolving a name: an IP
 * literal, or localhost. Null for any other name (judged when it is resolved, at connect
 * time). `hostname` is a WHATWG URL's hostname: IPv4 spellings such as 2852039166,
 * 0xA9FEA9FE or 0251.0376.0251.0376 are already normalised to dotted form there, and
 * IPv6 literals keep their brackets.
 */
export function judgeLiteralHost(hostname: string, strict: boolean): Verdict | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (addressKind(bare) !== null) return judgeAddress(bare, bare, strict);
  if (isLoopbackName(bare)) return judgeAddress(bare, bare, strict);
  return null;
}
