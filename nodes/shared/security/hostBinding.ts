/**
 * Which hosts a node-level credential may be sent to. A credential set on a node applies to every
 * endpoint the node sends to, and endpoint rows are edited by people: without a binding, pointing a
 * row at another host would hand that host the partner's token. An empty list sends it nowhere.
 *
 * Entries: a host name or IP address (exact, case-insensitive), or `*.example.com` for the
 * subdomains of example.com (not example.com itself). Ports do not matter.
 */
export class HostBindingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HostBindingError';
	}
}

const normalise = (host: string) => host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

export function parseHostList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[\s,]+/)
		.map(normalise)
		.filter(Boolean);
}

export function hostAllowed(hostname: string, allowed: string[]): boolean {
	const host = normalise(hostname);
	return allowed.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry));
}

/** Throws unless the URL's host is one the credential may be sent to. */
export function assertHostBound(url: string, allowed: string[], credentialName: string): void {
	const hostname = URL.canParse(url) ? new URL(url).hostname : '';
	if (!hostname) throw new HostBindingError(`Not sent: "${url.slice(0, 80)}" is not a valid URL`);
	if (hostAllowed(hostname, allowed)) return;
	throw new HostBindingError(
		allowed.length === 0
			? `Not sent: the ${credentialName} credential has no Allowed Hosts, so it is sent nowhere. Add "${normalise(hostname)}" to its Allowed Hosts if it belongs to this receiver`
			: `Not sent: ${normalise(hostname)} is not among the Allowed Hosts of the ${credentialName} credential`,
	);
}
