import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

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
}

export const defaultUrlPolicy: UrlPolicy = { blockPrivateAddresses: true, requireHttps: false, allowedHosts: [] };

export class UrlPolicyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UrlPolicyError';
	}
}

const nonPublic = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
	['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
	['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
	nonPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
	['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
	['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
	nonPublic.addSubnet(net, prefix, 'ipv6');
}

/** IPv4-mapped and -compatible IPv6 forms (::ffff:10.0.0.1) are judged by their IPv4 part. */
function embeddedIpv4(address: string): string | undefined {
	const match = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (match) return match[1];
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
	if (hex) {
		const high = parseInt(hex[1], 16);
		const low = parseInt(hex[2], 16);
		return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
	}
	return undefined;
}

export function isNonPublicAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '').split('%')[0];
	const v4 = embeddedIpv4(bare);
	if (v4) return nonPublic.check(v4, 'ipv4');
	const family = isIP(bare);
	if (family === 0) return true; // not an address at all: refuse rather than guess
	return nonPublic.check(bare, family === 4 ? 'ipv4' : 'ipv6');
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

function addressAllowed(address: string, allow: CompiledAllowList): boolean {
	const bare = address.replace(/^\[|\]$/g, '');
	const v4 = embeddedIpv4(bare);
	if (v4) return allow.networks.check(v4, 'ipv4');
	const family = isIP(bare);
	return family !== 0 && allow.networks.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** The static part of the check: scheme, credentials in the URL, IP literals. */
export function checkUrl(rawUrl: string, policy: UrlPolicy): URL {
	const url = URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
	if (!url) throw new UrlPolicyError(`"${truncate(rawUrl)}" is not a valid URL`);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new UrlPolicyError(`URL scheme "${url.protocol}" is not allowed: use https (or http)`);
	}
	if (policy.requireHttps && url.protocol !== 'https:') {
		throw new UrlPolicyError('Only https URLs are allowed (the "Require HTTPS" option is on)');
	}
	if (url.username || url.password) {
		throw new UrlPolicyError('URLs with a user name or password are not allowed: use a credential');
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (policy.blockPrivateAddresses && isIP(host) !== 0) {
		assertAddressAllowed(host, url.hostname, policy);
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
 * holds on every connection, not just when the endpoint was saved.
 */
export function guardedLookup(policy: UrlPolicy) {
	return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
		dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
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

function truncate(value: string): string {
	return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
