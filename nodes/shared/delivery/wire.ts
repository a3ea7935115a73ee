import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

import { guardedLookup, type UrlPolicy } from '../security/urlPolicy';
import { proxyAuthorization, proxyFor, type ProxyChoice } from './proxy';

/**
 * An axios adapter straight on node:http(s). axios stays the client interface; this replaces its
 * general-purpose http adapter (streams, redirects, decompression, proxy handling) with the little
 * a webhook attempt needs: one request, a deadline over the whole exchange, and a capped read of
 * the answer kept as text, so no stream or response object outlives the attempt.
 */
export interface WireRequest {
	/** Bytes of the answer kept as text. */
	keepBytes: number;
	/** Bytes read at most; past this the connection is dropped. */
	maxBytes: number;
	/** One deadline for connecting, sending and reading. */
	deadlineMs: number;
	/** The node's proxy option; empty means the environment's HTTP(S)_PROXY / NO_PROXY. */
	proxy?: string;
}

/**
 * The per-attempt settings as a class instance: axios' mergeConfig deep-copies plain objects it does
 * not know on every request, and passes other objects as they are.
 */
export class WireSettings implements WireRequest {
	constructor(
		readonly keepBytes: number,
		readonly maxBytes: number,
		readonly deadlineMs: number,
		readonly proxy?: string,
	) {}
}

declare module 'axios' {
	interface AxiosRequestConfig {
		wire?: WireRequest;
	}
}

/** The answer as the adapter gives it: `text` holds at most keepBytes, `bytes` counts what was read. */
export interface WireBody {
	text: string;
	bytes: number;
	/** More was read than kept. */
	truncated: boolean;
	/** More than maxBytes came: the connection was dropped. */
	overLimit: boolean;
}

export interface WireOptions {
	policy: UrlPolicy;
	maxSocketsPerHost: number;
}

type CreateCallback = (error: Error | null, socket?: Duplex) => void;

// For the CONNECT requests themselves: `agent: false` would build a new agent of the type of
// http.globalAgent, which n8n replaces with its own proxy-routing agent when HTTP(S)_PROXY is set,
// and the CONNECT would then be proxied itself.
const tunnelSetupAgent = new http.Agent({ keepAlive: false });

/** https through an http proxy: a CONNECT tunnel per pooled socket, TLS to the target inside it. */
class TunnelAgent extends https.Agent {
	constructor(
		private readonly proxy: ProxyChoice,
		options: https.AgentOptions,
	) {
		super(options);
	}

	// node's Agent accepts a socket given later through the callback (createSocket's oncreate).
	createConnection(options: tls.ConnectionOptions & { host?: string; port?: number }, callback: CreateCallback): undefined {
		const target = `${options.host}:${options.port}`;
		const authorization = proxyAuthorization(this.proxy.url);
		const connect = http.request({
			host: this.proxy.url.hostname.replace(/^\[|\]$/g, ''),
			port: this.proxy.url.port || 80,
			method: 'CONNECT',
			path: target,
			headers: { host: target, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
			agent: tunnelSetupAgent,
		});
		connect.once('connect', (response, socket) => {
			if (response.statusCode !== 200) {
				socket.destroy();
				callback(new ProxyError(`Proxy ${this.proxy.label} refused the tunnel to ${target}: ${response.statusCode}`));
				return;
			}
			const servername = options.servername || (isIP(options.host ?? '') ? undefined : options.host);
			callback(null, tls.connect({ ...options, socket, servername }));
		});
		connect.once('error', (error) => callback(error));
		connect.end();
		return undefined;
	}
}

/** The attempt's deadline passed (not an OS-level ETIMEDOUT, which is a network error). */
export class DeadlineError extends Error {
	code = 'ETIMEDOUT';
	constructor(message: string) {
		super(message);
		this.name = 'DeadlineError';
	}
}

export class ProxyError extends Error {
	code = 'EPROXY';
	constructor(message: string) {
		super(message);
		this.name = 'ProxyError';
	}
}

const resolvedPromise = (lookup: ReturnType<typeof guardedLookup>, hostname: string) =>
	new Promise<void>((resolve, reject) => lookup(hostname, { all: true }, (error) => (error ? reject(error) : resolve())));

const IDLE_SOCKET_MS = 4_000;

/** The response headers an attempt reads (Retry-After); the others are not kept. */
function answerHeaders(headers: http.IncomingHttpHeaders): AxiosHeaders {
	const kept = new AxiosHeaders();
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined) kept.set('retry-after', retryAfter);
	return kept;
}

/** Endpoint URLs repeat across a fan-out: parsed once each. Read-only use: a URL is never changed here. */
const urls = new Map<string, URL>();
function parsedUrl(raw: string): URL {
	let url = urls.get(raw);
	if (!url) {
		url = new URL(raw);
		if (urls.size >= 1000) urls.clear();
		urls.set(raw, url);
	}
	return url;
}

export function wireAdapter({ policy, maxSocketsPerHost }: WireOptions): AxiosAdapter {
	// The address guard runs on every new connection to a target (DNS may change its answer).
	const lookup = guardedLookup(policy);
	// Idle sockets are closed after 4 s, before receivers close them (5 s is Node's default): a socket
	// reused just as the other side closes it fails the attempt with a reset.
	const agentOptions = { keepAlive: true, maxSockets: maxSocketsPerHost, timeout: IDLE_SOCKET_MS, lookup: lookup as never };
	const direct = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
	// A proxy is ours to reach (it may well be on loopback): no guard on the way to it.
	const proxied = new Map<string, { http: http.Agent; https: TunnelAgent }>();
	const agentsFor = (proxy: ProxyChoice) => {
		let agents = proxied.get(proxy.url.href);
		if (!agents) {
			const options = { keepAlive: true, maxSockets: maxSocketsPerHost, timeout: IDLE_SOCKET_MS };
			agents = { http: new http.Agent(options), https: new TunnelAgent(proxy, options) };
			proxied.set(proxy.url.href, agents);
		}
		return agents;
	};

	return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse<WireBody>> => {
		const wire = config.wire ?? { keepBytes: 64 * 1024, maxBytes: 1024 * 1024, deadlineMs: config.timeout || 30_000 };
		const url = parsedUrl(config.url!);
		const secure = url.protocol === 'https:';
		const body = typeof config.data === 'string' || Buffer.isBuffer(config.data) ? config.data : config.data == null ? '' : String(config.data);
		const headers = config.headers.toJSON() as Record<string, string>;
		headers['content-length'] = String(Buffer.byteLength(body));
		const hostname = url.hostname.replace(/^\[|\]$/g, '');
		const port = url.port || (secure ? 443 : 80);

		let options: https.RequestOptions;
		const proxy = proxyFor(url, wire.proxy);
		if (!proxy) {
			options = { hostname, port, path: url.pathname + url.search, method: config.method!.toUpperCase(), headers, agent: secure ? direct.https : direct.http };
		} else {
			// The target is resolved and judged here, before the proxy hears of it: the proxy resolves
			// it again, but a refused target never leaves this process.
			await resolvedPromise(lookup, hostname);
			const agents = agentsFor(proxy);
			if (secure) {
				options = { hostname, port, path: url.pathname + url.search, method: config.method!.toUpperCase(), headers, agent: agents.https };
			} else {
				const authorization = proxyAuthorization(proxy.url);
				if (authorization) headers['proxy-authorization'] = authorization;
				headers.host = url.host;
				options = {
					hostname: proxy.url.hostname.replace(/^\[|\]$/g, ''),
					port: proxy.url.port || 80,
					path: url.href,
					method: config.method!.toUpperCase(),
					headers,
					agent: agents.http,
				};
			}
		}

		return new Promise<AxiosResponse<WireBody>>((resolve, reject) => {
			let settled = false;
			const fail = (error: Error & { code?: string }, code?: string) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				reject(AxiosError.from(error, code ?? error.code, config, request));
			};
			const request = (secure ? https : http).request(options, (response) => {
				const kept: Buffer[] = [];
				let keptBytes = 0;
				let bytes = 0;
				const finish = (overLimit: boolean) => {
					if (settled) return;
					settled = true;
					clearTimeout(timer);
					const buffer = kept.length === 1 ? kept[0] : Buffer.concat(kept, keptBytes);
					resolve({
						data: { text: buffer.toString('utf8'), bytes, truncated: bytes > keptBytes, overLimit },
						status: response.statusCode!,
						statusText: response.statusMessage ?? '',
						// Only what the caller reads: axios re-wraps and normalises every header it is given.
						headers: answerHeaders(response.headers),
						config,
						request: undefined,
					} as AxiosResponse<WireBody>);
				};
				response.on('data', (chunk: Buffer) => {
					bytes += chunk.length;
					if (keptBytes < wire.keepBytes) {
						const part = keptBytes + chunk.length <= wire.keepBytes ? chunk : chunk.subarray(0, wire.keepBytes - keptBytes);
						kept.push(part);
						keptBytes += part.length;
					}
					if (bytes > wire.maxBytes) {
						// Dropping the connection is cheaper than draining a receiver that will not stop.
						request.destroy();
						finish(true);
					}
				});
				response.on('end', () => finish(false));
				response.on('error', (error) => fail(error));
				response.on('aborted', () => fail(Object.assign(new Error('The receiver closed the connection mid-answer'), { code: 'ECONNRESET' })));
			});
			const timer = setTimeout(() => {
				request.destroy();
				fail(new DeadlineError(`No answer within ${wire.deadlineMs} ms`), AxiosError.ETIMEDOUT);
			}, wire.deadlineMs);
			request.on('error', (error) => fail(error));
			request.end(body);
		});
	};
}
