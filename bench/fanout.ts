/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * The fan-out comparison rows outside n8n: bare axios (keep-alive agent, as a user would set it
 * up), bare node:http, and the Deliver Webhook node's core alone. Used by run.ts, and on its own
 * without n8n for quick before/after figures and profiles of the send path:
 *   node .n8n-local/bench-build/bench/fanout.js [core|axios|http|all] [deliveries] [rounds]
 * (e.g. under `node --cpu-prof` or `--heap-prof`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import axios from 'axios';

import { noAuthentication } from '../nodes/shared/auth/authenticator';
import { Dispatcher, deliveryIdFor } from '../nodes/shared/delivery/delivery';
import { defaultRetryPolicy } from '../nodes/shared/delivery/retryPolicy';

export const CONCURRENCY = 50; // Deliver Webhook's default, overall
export const PER_ENDPOINT = 10; // and per endpoint

export type Body = { url: string; body: string };

export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>) {
	let next = 0;
	await Promise.all(
		Array.from({ length: limit }, async () => {
			while (next < items.length) await fn(items[next++]);
		}),
	);
}

/**
 * axios as a user sets it up for many requests: one instance with a keep-alive agent (per run: a
 * socket left idle between runs may be closed by the receiver just as it is reused).
 */
export async function bareAxios(bodies: Body[]) {
	const axiosClient = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: PER_ENDPOINT }), proxy: false });
	const t0 = Date.now();
	await pool(bodies, CONCURRENCY, (b) => axiosClient.post(b.url, b.body, { headers: { 'content-type': 'application/json' } }));
	return Date.now() - t0;
}

export async function bareHttp(bodies: Body[]) {
	const httpAgent = new http.Agent({ keepAlive: true, maxSockets: PER_ENDPOINT });
	const post = (url: string, body: string) =>
		new Promise<void>((resolve, reject) => {
			const req = http.request(url, { method: 'POST', agent: httpAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
				res.resume();
				res.on('end', resolve);
			});
			req.on('error', reject);
			req.end(body);
		});
	const t0 = Date.now();
	await pool(bodies, CONCURRENCY, (b) => post(b.url, b.body));
	return Date.now() - t0;
}

/** The Deliver Webhook node's core on its own (no n8n): the same dispatcher, signing and options. */
export async function coreDispatch(bodies: Body[], signingSecret: string) {
	const dispatcher = new Dispatcher({
		retryPolicy: defaultRetryPolicy,
		timeoutMs: 15_000,
		urlPolicy: { blockPrivateAddresses: true, requireHttps: false, allowedHosts: ['127.0.0.1'] },
		maxConcurrency: CONCURRENCY,
		maxConcurrencyPerEndpoint: PER_ENDPOINT,
		responseBodyLimit: 4096,
		responseReadLimit: 1024 * 1024,
	});
	const jobs = bodies.map((b, i) => ({
		deliveryId: deliveryIdFor(`core_${i}`, b.url),
		eventId: `core_${i}`,
		eventType: 'invoice.created',
		endpoint: { key: b.url, name: b.url, url: b.url },
		payload: b.body,
		authenticator: noAuthentication,
		signingSecrets: [signingSecret],
		trigger: 'scheduled' as const,
	}));
	const t0 = Date.now();
	const results = await dispatcher.deliverAll(jobs);
	const ms = Date.now() - t0;
	const notSent = results.filter((r) => r.status !== 'sent').length;
	if (notSent > 0) throw new Error(`core: ${notSent} deliveries not sent (${results.find((r) => r.status !== 'sent')?.error})`);
	return ms;
}

export function bodiesFor(urls: string[], events: number): Body[] {
	return Array.from({ length: events * urls.length }, (_, i) => ({
		url: urls[i % urls.length],
		body: JSON.stringify({ id: `b_${i}`, type: 'invoice.created', timestamp: new Date().toISOString(), data: { invoice: { id: `inv_${i}` } } }),
	}));
}

/** Standalone: the bench's receiver in its own process, 10 endpoints, the chosen contenders. */
async function standalone() {
	const which = process.argv[2] ?? 'all';
	const total = Number(process.argv[3] ?? 10_000);
	const rounds = Number(process.argv[4] ?? 3);
	const child: ChildProcess = fork(path.join(__dirname, 'receiver.js'), ['10'], { stdio: 'inherit' });
	const ports = await new Promise<number[]>((resolve) => child.once('message', (m) => resolve((m as { ports: number[] }).ports)));
	const urls = ports.map((port, i) => `http://127.0.0.1:${port}/e${i}`);
	const bodies = bodiesFor(urls, Math.round(total / urls.length));
	const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
	const contenders: Record<string, () => Promise<number>> = {
		core: () => coreDispatch(bodies, secret),
		axios: () => bareAxios(bodies),
		http: () => bareHttp(bodies),
	};
	const chosen = which === 'all' ? Object.keys(contenders) : which.split(',');
	await contenders[chosen[0]](); // warm-up
	const times: Record<string, number[]> = {};
	for (let round = 0; round < rounds; round++) {
		for (const name of chosen) (times[name] ??= []).push(await contenders[name]());
	}
	for (const name of chosen) {
		const sorted = [...times[name]].sort((a, b) => a - b);
		console.log(`${name.padEnd(6)} median ${sorted[Math.floor(sorted.length / 2)]} ms  runs ${times[name].join(' / ')}  (${bodies.length} deliveries, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB)`);
	}
	child.send({ op: 'stop' });
}

if (require.main === module) {
	standalone().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
