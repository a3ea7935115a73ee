import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

import { hostAllowed } from './hostBinding';

/**
 * Outbound URL policy: which endpoint URLs may be called. Endpoint rows are edited by people, so a
 * URL to cloud metadata, loopback or the intranet must be refused unless explicitly allowed, and
 * the check must happen on the resolved address of every connection (DNS can change its answer).
 */
export interface UrlPolicy {
	/** Refuse loopback, private, link-local, unique-local and other non-public addresses. */
	blockPrivateAddresses: boolean;
	requireHttps: boolean;
	/** Host names (exact, case-insensitive), IP addresses or CIDR ranges that are allowed anyway. */
	allowedHosts: string[];
	/** Hosts that may be called over plain http although https is required (receivers on this machine). */
	httpAllowedHosts?: string[];
}

export const defaultUrlPolicy: UrlPolicy = { blockPrivateAddresses: true, requireHttps: false, allowedHosts: [] };

export class UrlPolicyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UrlPolicyError';
	}
}

const nonPublicV4 = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
	['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
	['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
	nonPublicV4.addSubnet(net, prefix, 'ipv4');
}

/**
 * IPv6 is allowed only in global unicast (2000::/3), minus the special ranges inside it. Ranges
 * that carry an IPv4 address are judged by that address (a NAT64 or 6to4 gateway would reach it).
 * Everything outside 2000::/3 is refused: ::/96 (IPv4-compatible, deprecated), ::1, ::, unique-local,
 * link-local, site-local, multicast, discard (100::/64), 64:ff9b:1::/48 (local NAT64)...
 */
const specialGlobalV6 = new BlockList();
for (const [net, prefix] of [
	['2001::', 23], // IETF protocol assignments: Teredo (2001::/32, its IPv4 part is obfuscated), benchmarking, ORCHID
	['2001:db8::', 32], // documentation
	['3fff::', 20], // documentation (RFC 9637)
	['2620:4f:8000::', 48], // AS112 (DNS sinks)
] as const) {
	specialGlobalV6.addSubnet(net, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 address (no brackets, no zone), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
	if (isIP(address) !== 6) return undefined;
	let text = address.toLowerCase();
	const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number);
		text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
	if (groups.length !== 8) return undefined;
	return groups.flatMap((group) => {
		const value = parseInt(group, 16);
		return [value >> 8, value & 255];
	});
}

const v4At = (bytes: number[], at: number) => bytes.slice(at, at + 4).join('.');
const zeros = (bytes: number[], from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);

/**
 * The IPv4 address an IPv6 address stands for, where it stands for one: IPv4-mapped ::ffff:0:0/96,
 * IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and 6to4 2002::/16.
 */
function embeddedIpv4(bytes: number[]): string | undefined {
	if (zeros(bytes, 0, 10) && bytes[10] === 255 && bytes[11] === 255) return v4At(bytes, 12);
	if (zeros(bytes, 0, 8) && bytes[8] === 255 && bytes[9] === 255 && zeros(bytes, 10, 12)) return v4At(bytes, 12);
	if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(bytes, 4, 12)) return v4At(bytes, 12);
	if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4At(bytes, 2);
	return undefined;
}

function isNonPublicV6(bare: string, bytes: number[]): boolean {
	const v4 = embeddedIpv4(bytes);
	if (v4) return nonPublicV4.check(v4, 'ipv4');
	if ((bytes[0] & 0xe0) !== 0x20) return true; // outside 2000::/3
	return specialGlobalV6.check(bare, 'ipv6');
}

export function isNonPublicAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '').split('%')[0];
	const family = isIP(bare);
	if (family === 4) return nonPublicV4.check(bare, 'ipv4');
	const bytes = family === 6 ? ipv6Bytes(bare) : undefined;
	if (!bytes) return true; // not an address at all: refuse rather than guess
	return isNonPublicV6(bare, bytes);
}

interface CompiledAllowList {
	hosts: Set<string>;
	networks: BlockList;
}

const allowListCache = new Map<string, CompiledAllowList>();

function compileAllowList(entries: string[]): CompiledAllowList {
	const key = entries.join(',');
	const cached = allowListCache.get(key);
	if (cached) return cached;
	const compiled: CompiledAllowList = { hosts: new Set(), networks: new BlockList() };
	for (const raw of entries) {
		const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
		if (!entry) continue;
		const [net, prefixText] = entry.split('/');
		const family = isIP(net);
		if (family === 0) {
			if (prefixText !== undefined) throw new UrlPolicyError(`Allowed host "${raw}" is not a valid CIDR range`);
			compiled.hosts.add(entry);
			continue;
		}
		const type = family === 4 ? 'ipv4' : 'ipv6';
		const max = family === 4 ? 32 : 128;
		const prefix = prefixText === undefined ? max : Number(prefixText);
		if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
			throw new UrlPolicyError(`Allowed host "${raw}" has an invalid prefix length`);
		}
		compiled.networks.addSubnet(net, prefix, type);
	}
	allowListCache.set(key, compiled);
	return compiled;
}

/** An IPv6 form of an IPv4 address is allowed only as that IPv4 address (::1 allows [::1], not [::127.0.0.1]). */
function addressAllowed(address: string, allow: CompiledAllowList): boolean {
	const bare = address.replace(/^\[|\]$/g, '').split('%')[0];
	const family = isIP(bare);
	if (family === 4) return allow.networks.check(bare, 'ipv4');
	const bytes = family === 6 ? ipv6Bytes(bare) : undefined;
	if (!bytes) return false;
	const v4 = embeddedIpv4(bytes);
	return v4 ? allow.networks.check(v4, 'ipv4') : allow.networks.check(bare, 'ipv6');
}

/** The static part of the check: scheme, credentials in the URL, IP literals. */
export function checkUrl(rawUrl: string, policy: UrlPolicy): URL {
	const url = URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
	if (!url) throw new UrlPolicyError(`"${truncate(rawUrl)}" is not a valid URL`);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new UrlPolicyError(`URL scheme "${url.protocol}" is not allowed: use https (or http)`);
	}
	if (url.username || url.password) {
		throw new UrlPolicyError('URLs with a user name or password are not allowed: use a credential');
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (policy.blockPrivateAddresses && isIP(host) !== 0) {
		assertAddressAllowed(host, url.hostname, policy);
	}
	// After the address: a private target is the graver refusal, and says so.
	if (policy.requireHttps && url.protocol !== 'https:' && !hostAllowed(url.hostname, policy.httpAllowedHosts ?? [])) {
		throw new UrlPolicyError(`Only https URLs are allowed (the "Require HTTPS" option is on; "Allowed HTTP Hosts" lists the exceptions)`);
	}
	return url;
}

function assertAddressAllowed(address: string, hostname: string, policy: UrlPolicy): void {
	if (!policy.blockPrivateAddresses || !isNonPublicAddress(address)) return;
	const allow = compileAllowList(policy.allowedHosts);
	if (allow.hosts.has(hostname.toLowerCase().replace(/^\[|\]$/g, '')) || addressAllowed(address, allow)) return;
	throw new UrlPolicyError(
		`Refused to connect to ${hostname === address ? address : `${hostname} (${address})`}: a private, loopback or link-local address. Add it to "Allowed Private Hosts" if this receiver is meant to be internal`,
	);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s) agents that resolves and then refuses non-public answers, so the check
 * holds on every connection, not just when the endpoint was saved. `resolve` is the system's
 * resolver; tests pass their own answers.
 */
export function guardedLookup(policy: UrlPolicy, resolve: typeof dnsLookup = dnsLookup) {
	return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
		resolve(hostname, { ...options, all: true }, (err, addresses) => {
			if (err) return callback(err, '');
			try {
				for (const { address } of addresses) assertAddressAllowed(address, hostname, policy);
			} catch (refusal) {
				return callback(refusal as NodeJS.ErrnoException, '');
			}
			if (options.all) return callback(null, addresses);
			const first = addresses[0];
			return callback(null, first.address, first.family);
		});
	};
}

/** The resolved addresses of a host, checked like every connection's: for clients that take no lookup of ours. */
export function checkResolved(hostname: string, policy: UrlPolicy): Promise<void> {
	return new Promise((resolve, reject) => {
		guardedLookup(policy)(hostname.replace(/^\[|\]$/g, ''), { all: true }, (error) => (error ? reject(error) : resolve()));
	});
}

function truncate(value: string): string {
	return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
