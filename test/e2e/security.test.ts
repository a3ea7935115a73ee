import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { newSigningSecret, Receiver } from '../helpers/receiver';
import { StrictOAuthServer } from '../helpers/oauthServer';
import { startN8n, waitFor, type N8n } from '../../tools/harness';
import { hostileCases, signedHeaders } from './support/hostileRequests';
import { scanForSecrets } from './support/secretScan';
import { addEndpoints, catalogEvent, deliveries, postEvents, resend, setUpNotifications, type Notifications } from '../../tools/notifications';
import { refusedUrls } from '../helpers/refusedUrls';

/**
 * Nobody let in, nothing sent where it must not go, no secret left behind, in a real n8n:
 * outbound URLs to private addresses refused before any connection (only [::1] is allowed here),
 * redirects not followed, response bodies capped; hostile requests to both triggers answered
 * with the right status and nothing started; and no secret in tables, executions or logs.
 */
describe('security', () => {
	let n8n: N8n;
	let n: Notifications;
	let oauth: StrictOAuthServer;
	/** On 127.0.0.1, which this n8n must never reach: every URL below that points to it is refused. */
	let forbidden: Receiver;
	let v6: V6Receiver;
	const secretHeaderValue = `hdr_${Date.now()}_security`;

	beforeAll(async () => {
		oauth = await new StrictOAuthServer('sec-client', `sec-client-secret-${Date.now()}`).start('::1');
		forbidden = await new Receiver().start();
		n8n = await startN8n();
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			// Only the IPv6 loopback receiver is allowed: 127.0.0.1 and every other private address are not.
			deliverOptions: { allowedPrivateHosts: '::1', responseBodyLimit: 1024 },
			// Strict: the hostile list expects events with data off their schema refused (lenient accepts and flags
			// them, by design; the integration suite checks the hostile list against a lenient trigger).
			overrides: { 'Billing Event Trigger.validation': 'strict', 'Shipping Event Trigger.validation': 'strict' },
			credentials: {
				'Webhook OAuth2': {
					type: 'webhookOAuth2Api',
					data: { tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope: '', authentication: 'header' },
				},
				'Webhook Secret Header': { type: 'webhookSecretHeaderApi', data: { headerName: 'x-partner-secret', secret: secretHeaderValue, additionalHeaders: {} } },
			},
		});
		v6 = await startV6Receiver(n.secrets.signingSecret, (path, headers) =>
			path === '/oauth' ? oauth.accepts(headers.authorization) : path === '/secret' ? headers['x-partner-secret'] === secretHeaderValue : true,
		);
		const port = new URL(forbidden.url()).port;
		await addEndpoints(n, [
			{ name: 'v6 ok', url: v6.url('/ok') },
			{ name: 'v6 oauth', url: v6.url('/oauth'), authentication: 'oauth2' },
			{ name: 'v6 secret', url: v6.url('/secret'), authentication: 'secretHeader' },
			{ name: 'v6 redirect', url: v6.url('/redirect') },
			{ name: 'v6 huge body', url: v6.url('/huge') },
			{ name: 'v6 gone', url: v6.url('/gone') },
			...refusedUrls(port).map((url, i) => ({ name: `refused ${i}`, url })),
		]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([forbidden?.stop(), v6?.stop(), oauth?.stop()]);
	}, 60_000);

	it('refuses private, loopback, link-local and unique-local targets before connecting; follows no redirect; caps response bodies', async () => {
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: 'evt_sec_out_1' })])).status).toBe(202);
		const settled = await waitFor(
			async () => {
				const all = await deliveries(n);
				return all.length === 6 + refusedUrls('1').length && all.every((row) => row.status !== 'pending') && all;
			},
			{ timeoutMs: 60_000, what: 'every delivery settled' },
		);
		const byName = Object.fromEntries(settled.map((row) => [row.endpointName as string, row]));
		for (const [i, url] of refusedUrls(new URL(forbidden.url()).port).entries()) {
			const row = byName[`refused ${i}`];
			expect({ url, status: row.status, attempts: row.attempts, responseCode: row.responseCode }).toEqual({ url, status: 'failed', attempts: 1, responseCode: null });
			expect({ url, error: row.error }).toEqual({ url, error: expect.stringMatching(/Refused to connect|not allowed|not a valid URL|Only https URLs are allowed/) });
		}
		expect(forbidden.requests).toHaveLength(0);

		for (const name of ['v6 ok', 'v6 oauth', 'v6 secret']) expect({ name, status: byName[name].status }).toEqual({ name, status: 'sent' });
		expect(v6.received.filter((r) => ['/ok', '/oauth', '/secret'].includes(r.path)).every((r) => r.verified)).toBe(true);

		// A 3xx is never followed; like every non-2xx but 410 it is retried on the durable schedule.
		expect(byName['v6 redirect']).toMatchObject({ status: 'retrying', responseCode: 302 });
		expect(v6.received.filter((r) => r.path === '/target')).toHaveLength(0);

		expect(byName['v6 gone']).toMatchObject({ status: 'failed', responseCode: 410, endpointGone: true });
		expect(byName['v6 huge body'].status).toBe('sent');
		expect((byName['v6 huge body'].responseBody as string).length).toBeLessThanOrEqual(1024 + 64); // the cap, and a note that the rest was cut
		expect(v6.hugeBytesSent).toBeLessThan(40 * 1024 * 1024); // the client stopped reading long before the 40 MB end
	}, 120_000);

	it('answers at least 50 hostile or malformed requests per trigger with the right 4xx, starting nothing', async () => {
		const rowsBefore = (await deliveries(n)).length;
		const requestsBefore = v6.received.length;
		let cases = 0;
		let wrongAnswers = 0;
		let crashes = 0;
		const wrong: string[] = [];
		for (const system of ['billing', 'shipping'] as const) {
			const list = hostileCases(system, { secret: n.secrets.sourceSigningSecret }, newSigningSecret());
			expect(list.length).toBeGreaterThanOrEqual(50);
			for (const hostile of list) {
				cases++;
				const response = await fetch(n.url[system], { method: hostile.method ?? 'POST', headers: hostile.headers, body: hostile.body }).catch((error: Error) => error);
				if (response instanceof Error || response.status >= 500) {
					crashes++;
					wrong.push(`${system}/${hostile.name}: ${response instanceof Error ? response.message : `${response.status} ${await response.text()}`}`);
					continue;
				}
				const text = await response.text();
				if (response.status !== hostile.expect) {
					wrongAnswers++;
					wrong.push(`${system}/${hostile.name}: expected ${hostile.expect}, got ${response.status} ${text.slice(0, 200)}`);
				}
			}
		}
		// A replayed request (same id, timestamp, signature and body) is a source's retry: 202, as a duplicate.
		const event = catalogEvent('order.created', { id: 'evt_sec_replay' });
		const body = JSON.stringify([event]);
		const headers = { 'content-type': 'application/json', ...signedHeaders({ secret: n.secrets.sourceSigningSecret }, body) };
		const first = await fetch(n.url.billing, { method: 'POST', headers, body });
		const replay = await fetch(n.url.billing, { method: 'POST', headers, body });
		cases += 1;
		expect(first.status).toBe(202);
		const replayAnswer = (await replay.json()) as { duplicates?: string[] };
		if (replay.status !== 202 || replayAnswer.duplicates?.[0] !== event.id) {
			wrongAnswers++;
			wrong.push(`replay: ${replay.status} ${JSON.stringify(replayAnswer)}`);
		}

		const ready = await fetch(`${n8n.baseUrl}/healthz/readiness`);
		if (ready.status !== 200) crashes++;
		// Nothing written or sent but the one valid event's deliveries (to the 3 good v6 endpoints, redirect, huge and the refused ones).
		const rowsAfter = await waitFor(async () => {
			const all = await deliveries(n);
			return all.every((row) => row.status !== 'pending') && all;
		}, { timeoutMs: 60_000, what: 'the replayed event settled' });
		expect(rowsAfter.filter((row) => row.eventId !== 'evt_sec_replay')).toHaveLength(rowsBefore);
		// The 3xx endpoint's delivery of the first test is still retrying on its schedule: its retries are not new sends.
		expect(v6.received.slice(requestsBefore).filter((r) => r.path !== '/redirect').every((r) => JSON.parse(r.body).id === 'evt_sec_replay')).toBe(true);
		expect(forbidden.requests).toHaveLength(0);
		expect(({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).isAdmin).toBeUndefined();

		process.stdout.write(`${wrong.map((line) => `  wrong: ${line}`).join('\n')}\nbadinput: cases=${cases} wrong_answers=${wrongAnswers} crashes=${crashes}\n`);
		expect(wrong).toEqual([]);
		expect(crashes).toBe(0);
	}, 300_000);

	it('leaves no secret in the tables, the execution data or the logs', async () => {
		// The resend path carries the admin token in a header: its runs must leave nothing behind.
		const [row] = await deliveries(n, [{ columnName: 'endpointName', condition: 'eq', value: 'v6 oauth' }]);
		expect((await resend(n, { deliveryId: row.deliveryId })).status).toBe(200);

		const secrets = [
			n.secrets.signingSecret,
			n.secrets.signingSecret.slice('whsec_'.length),
			n.secrets.sourceSigningSecret,
			n.secrets.sourceSigningSecret.slice('whsec_'.length),
			n.secrets.adminToken,
			oauth.clientSecret,
			encodeURIComponent(oauth.clientSecret),
			Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64'),
			secretHeaderValue,
			...oauth.issued,
		];
		expect(oauth.issued.size).toBeGreaterThan(0);
		const { findings, scannedRows, scannedExecutions, scannedLogBytes: logBytes } = await scanForSecrets(n8n, n, secrets);
		process.stdout.write(`secrets: scanned_rows=${scannedRows} scanned_executions=${scannedExecutions} scanned_log_bytes=${logBytes} findings=${findings.length}\n`);
		// The Endpoint disabled run (for the 410 endpoint) is saved; the dispatch's successful runs and the resend's are not.
		expect(scannedExecutions).toBeGreaterThan(0);
		expect(logBytes).toBeGreaterThan(0);
		expect(findings).toEqual([]);
	}, 120_000);
});

interface V6Receiver {
	received: Array<{ path: string; body: string; verified: boolean }>;
	hugeBytesSent: number;
	url(path: string): string;
	stop(): Promise<void>;
}

/** A receiver on [::1] (the one allowed address): plain answers, a redirect, and an endless body. */
async function startV6Receiver(signingSecret: string, authorize: (path: string, headers: Record<string, string | undefined>) => boolean): Promise<V6Receiver> {
	const verifier = new StandardWebhook(signingSecret);
	const state: V6Receiver = {
		received: [],
		hugeBytesSent: 0,
		url: (path) => `http://[::1]:${(server.address() as AddressInfo).port}${path}`,
		stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const path = (req.url ?? '/').split('?')[0];
			let verified = true;
			try {
				verifier.verify(body, req.headers as Record<string, string>);
			} catch {
				verified = false;
			}
			state.received.push({ path, body, verified });
			if (!authorize(path, req.headers as Record<string, string | undefined>)) return void res.writeHead(401).end();
			if (path === '/gone') return void res.writeHead(410).end('gone');
			if (path === '/redirect') return void res.writeHead(302, { location: state.url('/target') }).end();
			if (path === '/huge') {
				res.writeHead(200, { 'content-type': 'text/plain' });
				const chunk = Buffer.alloc(64 * 1024, 'y');
				const pump = () => {
					while (state.hugeBytesSent < 40 * 1024 * 1024) {
						state.hugeBytesSent += chunk.length;
						if (!res.write(chunk)) return void res.once('drain', pump);
					}
					res.end();
				};
				res.on('close', () => undefined);
				return pump();
			}
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
	return state;
}
