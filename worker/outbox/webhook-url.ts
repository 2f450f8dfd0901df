/** A range of addresses a webhook may not point at, and why. */
interface Blocked {
  readonly why: string;
}

const v4Ranges: readonly { net: number; bits: number; why: string }[] = [
  { net: 0x00000000, bits: 8, why: "an unspecified address (0.0.0.0/8)" },
  { net: 0x7f000000, bits: 8, why: "a loopback address (127.0.0.0/8)" },
  { net: 0x0a000000, bits: 8, why: "a private network address (10.0.0.0/8)" },
  { net: 0xac100000, bits: 12, why: "a private network address (172.16.0.0/12)" },
  { net: 0xc0a80000, bits: 16, why: "a private network address (192.168.0.0/16)" },
  { net: 0xa9fe0000, bits: 16, why: "a link-local address (169.254.0.0/16)" },
  { net: 0x64400000, bits: 10, why: "a carrier-grade NAT address (100.64.0.0/10)" },
  { net: 0xc0000000, bits: 24, why: "an IETF protocol address (192.0.0.0/24)" },
  { net: 0xc6120000, bits: 15, why: "a benchmarking address (198.18.0.0/15)" },
  { net: 0xe0000000, bits: 4, why: "a multicast address (224.0.0.0/4)" },
  { net: 0xf0000000, bits: 4, why: "a reserved address (240.0.0.0/4)" },
];

function v4Blocked(address: number): Blocked | undefined {
  for (const r of v4Ranges) {
    const mask = r.bits === 0 ? 0 : (0xffffffff << (32 - r.bits)) >>> 0;
    if ((address & mask) >>> 0 === r.net) return { why: r.why };
  }
  return undefined;
}

/** A dotted IPv4 address as a number, or undefined. */
function parseV4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail allowed), or undefined. */
function parseV6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    for (const g of half.split(":")) {
      if (g.includes(".")) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-f]{1,4}$/i.test(g)) out.push(Number.parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

function v6Blocked(g: number[]): Blocked | undefined {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h1 = 0, h2 = 0] = g;
  const zeroHead = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (zeroHead && f === 0 && h1 === 0 && h2 === 0) return { why: "the unspecified address (::)" };
  if (zeroHead && f === 0 && h1 === 0 && h2 === 1) return { why: "the loopback address (::1)" };
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): judged as the IPv4 address they carry.
  if (zeroHead && (f === 0xffff || f === 0)) {
    const inner = v4Blocked(h1 * 65536 + h2);
    if (inner) return inner;
  }
  if ((a & 0xfe00) === 0xfc00) return { why: "a unique local address (fc00::/7)" };
  if ((a & 0xffc0) === 0xfe80) return { why: "a link-local address (fe80::/10)" };
  if ((a & 0xffc0) === 0xfec0) return { why: "a site-local address (fec0::/10)" };
  if ((a & 0xff00) === 0xff00) return { why: "a multicast address (ff00::/8)" };
  return undefined;
}

/** Host names that name this machine or a local network rather than a public server. */
const localNames = /(^|\.)(localhost|local|localdomain|internal|home\.arpa|lan)$/i;

/**
 * Why a webhook URL is refused, or undefined when it is acceptable: it must be https and name a
 * public host — not localhost, not a single-label name, and not a literal IP address in a loopback,
 * private, link-local, carrier-grade NAT, unique local, multicast or reserved range. (The URL parser
 * has already turned forms such as 2130706433 or 0x7f.1 into the dotted address they mean.)
 */
export function webhookUrlProblem(text: string): string | undefined {
  if (text.length > 2000) return "Use a URL of at most 2000 characters";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Enter a full URL such as https://example.com/hooks/replyby";
  }
  if (url.protocol !== "https:") return "Use an https:// URL: deliveries carry customer data and must be encrypted";
  if (url.username || url.password) return "Leave user name and password out of the URL; deliveries are signed instead";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) {
    const groups = parseV6(host.slice(1, -1));
    const blocked = groups ? v6Blocked(groups) : { why: "not a valid IPv6 address" };
    return blocked ? `${host} is ${blocked.why}: use a public address` : undefined;
  }
  const v4 = parseV4(host);
  if (v4 !== undefined) {
    const blocked = v4Blocked(v4);
    return blocked ? `${host} is ${blocked.why}: use a public address` : undefined;
  }
  if (localNames.test(host)) return `${host} names this machine or a local network, not a public server`;
  if (!host.includes(".")) return `${host} is not a public host name: use a full domain such as hooks.example.com`;
  return undefined;
}
