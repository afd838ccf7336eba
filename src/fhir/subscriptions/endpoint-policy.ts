import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../errors/app-error.js';

/** Resolves a host name to every address it has (node:dns by default; tests give their own). */
export type ResolveHost = (host: string) => Promise<string[]>;

export interface EndpointPolicy {
  /**
   * Host names (or addresses) a rest-hook may name whatever they resolve to, over http or https:
   * an integration engine on the same network, a test's local receiver. Empty by default.
   */
  allowedHosts: readonly string[];
  resolve?: ResolveHost;
}

/**
 * Addresses a notification must never be sent to unless an operator allowed the host: this
 * machine, private networks, link-local (where cloud metadata services answer), and addresses
 * that are no one's. Otherwise a subscription would be a way to make the server send requests
 * into the network it runs in.
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv6');

/** Whether an address is internal (above); an IPv4 address written as IPv6 counts as itself. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped !== undefined) return isInternalAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The endpoint a rest-hook subscription may post to, normalised; refuses (400) one that is not
 * https, or whose host resolves to an internal address, unless the host is allowed. Checked when
 * the subscription is made and again before each delivery, so a name that later resolves inward
 * gets nothing.
 */
export async function checkEndpoint(endpoint: string | undefined, policy: EndpointPolicy): Promise<string> {
  const url = endpoint && URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw refused(`${JSON.stringify(endpoint ?? '')} is not an https URL (without user name or password)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (policy.allowedHosts.some((allowed) => allowed.toLowerCase() === host)) return url.toString();
  if (url.protocol !== 'https:') throw refused(`${url.origin} is not https`);
  const addresses = isIP(host) !== 0 ? [host] : await (policy.resolve ?? resolveWithDns)(host).catch(() => []);
  if (addresses.length === 0) throw refused(`${host} does not resolve to an address`);
  const internal = addresses.find(isInternalAddress);
  if (internal !== undefined) {
    throw refused(`${host} resolves to ${internal}, an address on this machine or a private or link-local network`);
  }
  return url.toString();
}

function refused(reason: string): AppError {
  return new AppError(
    'bad-request',
    `Subscription.channel.endpoint: ${reason}. Notifications go to https endpoints on public addresses; an operator can allow a host with UCP_SUBSCRIPTION_ALLOWED_HOSTS.`,
  );
}
