/**
 * Which forward proxy, if any, a delivery goes through: the one set on the node, else the
 * environment's HTTPS_PROXY / HTTP_PROXY (lowercase first, as curl reads them), except for hosts
 * in NO_PROXY. Only http:// proxies are supported (https targets go through a CONNECT tunnel).
 */
export interface ProxyChoice {
	/** The proxy's URL as given (may hold user:password; never put it in a message). */
	url: URL;
	/** `host:port` of the proxy, safe to show. */
	label: string;
}

export class ProxyConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ProxyConfigError';
	}
}

const parsed = new Map<string, ProxyChoice>();

/** Parsed once per distinct value: this runs on every attempt. */
export function parseProxyUrl(raw: string): ProxyChoice {
	let choice = parsed.get(raw);
	if (choice) return choice;
	// "proxy:3128" without a scheme is common in environments; http is what it means there.
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
	const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
	if (!url || !url.hostname) throw new ProxyConfigError('The proxy is not a valid URL');
	if (url.protocol !== 'http:') throw new ProxyConfigError(`Proxy scheme "${url.protocol}" is not supported: use an http:// proxy`);
	choice = { url, label: `${url.hostname}:${url.port || 80}` };
	if (parsed.size > 100) parsed.clear();
	parsed.set(raw, choice);
	return choice;
}

function env(name: string): string {
	return (process.env[name.toLowerCase()] ?? process.env[name.toUpperCase()] ?? '').trim();
}

/** NO_PROXY entries: `*`, host names (a leading dot or not: the domain and its subdomains), IPs, optional `:port`. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
	if (!noProxy) return false;
	const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	const port = target.port || (target.protocol === 'https:' ? '443' : '80');
	for (const raw of noProxy.split(/[\s,]+/)) {
		const entry = raw.trim().toLowerCase();
		if (!entry) continue;
		if (entry === '*') return true;
		const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
		if (!match) continue;
		const entryHost = match[1].replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
		if (match[2] && match[2] !== port) continue;
		const bare = entryHost.replace(/^\./, '');
		if (host === bare || host.endsWith(`.${bare}`)) return true;
	}
	return false;
}

/**
 * The proxy for one target URL. `nodeProxy` (the node's option) wins over the environment; NO_PROXY
 * applies to both, so internal receivers can still be reached directly.
 */
export function proxyFor(target: URL, nodeProxy?: string): ProxyChoice | undefined {
	const raw = nodeProxy?.trim() || (target.protocol === 'https:' ? env('https_proxy') : env('http_proxy'));
	if (!raw) return undefined;
	if (bypassesProxy(target, env('no_proxy'))) return undefined;
	return parseProxyUrl(raw);
}

/** `Proxy-Authorization` for a proxy URL with user:password, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
	if (!proxy.username && !proxy.password) return undefined;
	const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
	return `Basic ${Buffer.from(credentials).toString('base64')}`;
}
