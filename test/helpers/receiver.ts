import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

/** What a receiver saw of one request. */
export interface ReceivedRequest {
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** Verified by the unmodified standardwebhooks and svix libraries (undefined: no secret to check with). */
	verifiedByStandardWebhooks?: boolean;
	verifiedBySvix?: boolean;
	/** When the request arrived, and when its connection closed (answered, reset, or given up by the sender). */
	receivedAt?: number;
	closedAt?: number;
	/** The status answered, when one was. */
	answered?: number;
}

/** How to answer: a status (and headers/body), 'hang' (never answer), or 'reset' (destroy the socket). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang' | 'reset';

/**
 * A real HTTP receiver on 127.0.0.1 that answers with a script per path (replies are used in order,
 * the last one repeats) and checks every signature with both reference libraries.
 */
export class Receiver {
	readonly requests: ReceivedRequest[] = [];
	/** Requests being answered right now, and the most there ever were at once. */
	inFlight = 0;
	maxInFlight = 0;
	private readonly scripts = new Map<string, Reply[]>();
	private readonly behaviours = new Map<string, (request: ReceivedRequest) => Reply>();
	private readonly server: http.Server;
	private readonly sockets = new Set<import('node:net').Socket>();
	private port = 0;
	private host = '127.0.0.1';
	/** When set, requests it refuses get a 401 and are recorded under the path "unauthorized". */
	authorize?: (headers: http.IncomingHttpHeaders, path: string) => boolean;

	constructor(private signingSecret?: string) {
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/** Listens on 127.0.0.1, or on another loopback address such as '::1'. */
	async start(host = '127.0.0.1'): Promise<this> {
		this.host = host;
		await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	url(path = '/'): string {
		return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}${path}`;
	}

	/** Verifies what arrives from now on with this secret (an endpoint's own, known once it is created). */
	verifyWith(signingSecret: string): this {
		this.signingSecret = signingSecret;
		return this;
	}

	script(path: string, ...replies: Reply[]): this {
		this.scripts.set(path, replies);
		return this;
	}

	/** Answers each request to the path with what the function returns (e.g. seeded random failures, or an echo of the request). */
	behave(path: string, reply: (request: ReceivedRequest) => Reply): this {
		this.behaviours.set(path, reply);
		return this;
	}

	on(path: string): ReceivedRequest[] {
		return this.requests.filter((request) => request.path === path);
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const path = (req.url ?? '/').split('?')[0];
			if (this.authorize && !this.authorize(req.headers, path)) {
				this.requests.push({ path: 'unauthorized', headers: req.headers, body });
				res.writeHead(401).end('invalid token');
				return;
			}
			const record: ReceivedRequest = { path, headers: req.headers, body, receivedAt: Date.now() };
			res.on('close', () => (record.closedAt = Date.now()));
			if (this.signingSecret) {
				record.verifiedByStandardWebhooks = verifies(() => new StandardWebhook(this.signingSecret!).verify(body, headersOf(req)));
				record.verifiedBySvix = verifies(() => new SvixWebhook(this.signingSecret!).verify(body, headersOf(req)));
			}
			this.requests.push(record);
			const script = this.scripts.get(path) ?? [{ status: 200, body: 'ok' }];
			const behaviour = this.behaviours.get(path);
			const reply = behaviour ? behaviour(record) : script.length > 1 ? script.shift()! : script[0];
			if (reply === 'hang') return;
			if (reply === 'reset') {
				req.socket.destroy();
				return;
			}
			this.inFlight++;
			this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
			setTimeout(() => {
				this.inFlight--;
				record.answered = reply.status;
				res.writeHead(reply.status, reply.headers);
				res.end(reply.body ?? '');
			}, reply.delayMs ?? 0);
		});
	}
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
	return headers;
}

function verifies(check: () => unknown): boolean {
	try {
		check();
		return true;
	} catch {
		return false;
	}
}

export const loopbackAllowed = { blockPrivateAddresses: true, requireHttps: false, allowedHosts: ['127.0.0.1', '::1'] };

/** A fresh `whsec_` secret of 32 random bytes. */
export function newSigningSecret(): string {
	return `whsec_${require('node:crypto').randomBytes(32).toString('base64')}`;
}

/**
 * Sends of one delivery that should not have happened: a webhook-id answered 2xx more than once,
 * or sent again while an earlier request of it was still open (two runs sending it at once).
 */
export function duplicateSends(requests: ReceivedRequest[]): number {
	const byId = new Map<string, ReceivedRequest[]>();
	for (const request of requests) {
		const id = String(request.headers['webhook-id']);
		byId.set(id, [...(byId.get(id) ?? []), request]);
	}
	let duplicates = 0;
	for (const sends of byId.values()) {
		duplicates += Math.max(0, sends.filter((send) => send.answered !== undefined && send.answered >= 200 && send.answered < 300).length - 1);
		const ordered = [...sends].sort((a, b) => a.receivedAt! - b.receivedAt!);
		for (let i = 1; i < ordered.length; i++) if (ordered[i].receivedAt! < (ordered[i - 1].closedAt ?? Infinity)) duplicates++;
	}
	return duplicates;
}
