/* eslint-disable no-console -- the test prints its counts */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { startN8n, type N8n } from '../../tools/harness';
import { node } from '../../starter/build';

/**
 * Deliveries from a real n8n through a real forward proxy on loopback (TooTallNate's `proxy`, a
 * devDependency), configured the way a company's egress is: HTTP_PROXY / HTTPS_PROXY / NO_PROXY in
 * n8n's environment, and a partner receiver whose certificate comes from a private CA given by
 * NODE_EXTRA_CA_CERTS (made here with openssl). Also the node's own Proxy option.
 *
 * Loopback addresses stand for the network: the proxy on 127.0.0.4 (which the URL policy does not
 * allow: a proxy is not a target), partner receivers on 127.0.0.2 (allowed), an internal receiver
 * on 127.0.0.5 listed in NO_PROXY (allowed), and localhost / 127.0.0.3 as private targets the
 * policy refuses.
 */
const PROXY_HOST = '127.0.0.4';
const PARTNER_HOST = '127.0.0.2';
const INTERNAL_HOST = '127.0.0.5';

interface Seen {
	path: string;
	verified: boolean;
	via?: string;
}

async function signingReceiver(host: string, secret: string, tls?: { key: string; cert: string }) {
	const seen: Seen[] = [];
	const verifier = new StandardWebhook(secret);
	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			let verified = true;
			try {
				verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
			} catch {
				verified = false;
			}
			seen.push({ path: req.url ?? '/', verified, via: req.headers.via as string | undefined });
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	};
	const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		seen,
		url: (p: string) => `${tls ? 'https' : 'http'}://${host}:${port}${p}`,
		port,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())).finally(() => server.closeAllConnections?.()),
	};
}

async function forwardProxy(host: string) {
	const log: Array<{ method: string; target: string }> = [];
	const child: ChildProcess = fork(path.join(__dirname, 'support', 'forwardProxy.mjs'), [host], { stdio: 'inherit' });
	const port = await new Promise<number>((resolve) =>
		child.on('message', (message: { port?: number; method?: string; target?: string }) => {
			if (message.port) resolve(message.port);
			else log.push({ method: message.method!, target: message.target! });
		}),
	);
	return { port, url: `http://${host}:${port}`, log, stop: () => child.kill() };
}

/** A private CA and a certificate for the partner receiver's address, signed by it. */
function privateCa(dir: string) {
	const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=E2E Partner Private CA');
	run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${PARTNER_HOST}`);
	fs.writeFileSync(path.join(dir, 'leaf.ext'), `subjectAltName=IP:${PARTNER_HOST},DNS:partner.e2e.test\nextendedKeyUsage=serverAuth\n`);
	run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext');
	return { caFile: path.join(dir, 'ca.pem'), key: fs.readFileSync(path.join(dir, 'leaf.key'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'leaf.pem'), 'utf8') };
}


describe('deliveries through a forward proxy (HTTP_PROXY, HTTPS_PROXY with CONNECT, NO_PROXY, a private CA)', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-e2e-'));
	const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
	let n8n: N8n;
	let egress: Awaited<ReturnType<typeof forwardProxy>>;
	let nodeProxy: Awaited<ReturnType<typeof forwardProxy>>;
	let partnerHttp: Awaited<ReturnType<typeof signingReceiver>>;
	let partnerHttps: Awaited<ReturnType<typeof signingReceiver>>;
	let internal: Awaited<ReturnType<typeof signingReceiver>>;

	const createDeliverWorkflow = async (webhookPath: string, options: Record<string, unknown>, credentialId: string) => {
		const workflow = await n8n.api.createWorkflow({
			name: `Proxy e2e: ${webhookPath}`,
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', 2.1, [0, 0], { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { webhookId: crypto.randomUUID() }),
				node('Events', 'n8n-nodes-base.code', 2, [220, 0], { jsCode: 'return $input.first().json.body.events.map((json) => ({ json }));' }),
				node(
					'Deliver Webhook',
					'n8n-nodes-webhook-notifications.deliverWebhook',
					1,
					[440, 0],
					{
						operation: 'deliver',
						eventSource: 'envelope',
						endpointSource: 'list',
						endpoints: "={{ $('Webhook').first().json.body.endpoints }}",
						authentication: 'none',
						signPayload: true,
						options: { allowedPrivateHosts: `${PARTNER_HOST}, ${INTERNAL_HOST}`, maxAttempts: 1, timeout: 10_000, ...options },
					},
					{ credentials: { webhookSigningSecretApi: { id: credentialId, name: 'Proxy e2e signing' } } },
				),
			],
			connections: {
				Webhook: { main: [[{ node: 'Events', type: 'main', index: 0 }]] },
				Events: { main: [[{ node: 'Deliver Webhook', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		} as never);
		await n8n.api.activateWorkflow(workflow.id);
		await n8n.waitForWebhook(webhookPath);
	};

	const deliver = async (webhookPath: string, events: number, endpoints: Array<{ name: string; url: string }>) => {
		const body = {
			events: Array.from({ length: events }, (_, i) => ({
				id: `evt_${webhookPath}_${i}`,
				type: 'invoice.created',
				timestamp: new Date().toISOString(),
				data: { invoice: { id: `inv_${i}` } },
			})),
			endpoints: endpoints.map((endpoint) => ({ ...endpoint, active: true })),
		};
		const res = await fetch(`${n8n.baseUrl}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect(res.status).toBe(200);
		return (await res.json()) as Array<{ endpointName: string; endpointUrl: string; status: string; error: string | null; responseCode: number | null }>;
	};

	beforeAll(async () => {
		const ca = privateCa(dir);
		[egress, nodeProxy, partnerHttp, partnerHttps, internal] = await Promise.all([
			forwardProxy(PROXY_HOST),
			forwardProxy(PROXY_HOST),
			signingReceiver(PARTNER_HOST, secret),
			signingReceiver(PARTNER_HOST, secret, ca),
			signingReceiver(INTERNAL_HOST, secret),
		]);
		n8n = await startN8n({
			env: {
				HTTP_PROXY: egress.url,
				HTTPS_PROXY: egress.url,
				// n8n's own loopback traffic (its task runner) stays direct, as does the internal receiver.
				NO_PROXY: `127.0.0.1,${INTERNAL_HOST}`,
				NODE_EXTRA_CA_CERTS: ca.caFile,
			},
		});
		const credential = await n8n.api.request('POST', '/credentials', {
			body: { name: 'Proxy e2e signing', type: 'webhookSigningSecretApi', data: { secret, previousSecret: '' } },
		});
		await createDeliverWorkflow('proxy-env', {}, credential.id);
		await createDeliverWorkflow('proxy-option', { proxy: nodeProxy.url }, credential.id);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		egress?.stop();
		nodeProxy?.stop();
		await Promise.all([partnerHttp?.stop(), partnerHttps?.stop(), internal?.stop()]);
		fs.rmSync(dir, { recursive: true, force: true });
	}, 60_000);

	it('sends http through the proxy and https through a CONNECT tunnel to a private-CA receiver; NO_PROXY hosts directly; refuses private targets before asking the proxy', async () => {
		const events = 3;
		const results = await deliver('proxy-env', events, [
			{ name: 'partner http', url: partnerHttp.url('/via-http') },
			{ name: 'partner https', url: partnerHttps.url('/via-https') },
			{ name: 'internal', url: internal.url('/direct') },
			{ name: 'private literal', url: `http://127.0.0.3:${partnerHttp.port}/refused` },
			{ name: 'private name', url: `http://localhost:${partnerHttp.port}/refused-name` },
			{ name: 'private name tls', url: `https://localhost:${partnerHttps.port}/refused-name-tls` },
		]);
		const by = (name: string) => results.filter((result) => result.endpointName === name);

		// Through the proxy: every delivery sent, signed as sent (verified at the receiver).
		for (const name of ['partner http', 'partner https']) {
			expect(by(name).map((result) => [result.status, result.error])).toEqual(Array(events).fill(['sent', null]));
		}
		expect(partnerHttp.seen.filter((s) => s.path === '/via-http')).toHaveLength(events);
		expect(partnerHttp.seen.every((s) => s.verified && s.via)).toBe(true); // the proxy's Via header
		expect(partnerHttps.seen.filter((s) => s.path === '/via-https' && s.verified)).toHaveLength(events);
		const proxied = egress.log.filter((entry) => entry.target.includes(PARTNER_HOST));
		expect(egress.log.filter((entry) => entry.method === 'POST' && entry.target === partnerHttp.url('/via-http'))).toHaveLength(events);
		// Tunnels are kept alive and reused: at most one CONNECT per delivery.
		const tunnels = egress.log.filter((entry) => entry.method === 'CONNECT' && entry.target === `${PARTNER_HOST}:${partnerHttps.port}`).length;
		expect(tunnels).toBeGreaterThanOrEqual(1);
		expect(tunnels).toBeLessThanOrEqual(events);

		// NO_PROXY: straight to the internal receiver, never past the proxy.
		expect(by('internal').every((result) => result.status === 'sent')).toBe(true);
		expect(internal.seen.filter((s) => s.path === '/direct' && s.verified && !s.via)).toHaveLength(events);
		expect(egress.log.some((entry) => entry.target.includes(INTERNAL_HOST))).toBe(false);

		// Private targets: refused by the URL policy; the proxy never heard of them.
		const refused = [...by('private literal'), ...by('private name'), ...by('private name tls')];
		expect(refused).toHaveLength(3 * events);
		for (const result of refused) {
			expect(result.status).toBe('failed');
			expect(result.responseCode).toBeNull();
			expect(result.error).toMatch(/Refused to connect to (127\.0\.0\.3|localhost)/);
		}
		expect(egress.log.filter((entry) => /127\.0\.0\.3|localhost|refused/.test(entry.target))).toEqual([]);
		expect(partnerHttp.seen.some((s) => s.path.startsWith('/refused'))).toBe(false);
		expect(partnerHttps.seen.some((s) => s.path.startsWith('/refused'))).toBe(false);

		const viaProxy = by('partner http').length + by('partner https').length;
		expect(proxied.length).toBeGreaterThanOrEqual(events + 1);
		console.log(`proxy: via_proxy=${viaProxy} refused_private=${refused.length} direct_when_no_proxy=${by('internal').length}`);
	}, 120_000);

	it("uses the node's Proxy option over the environment's", async () => {
		const before = egress.log.length;
		const results = await deliver('proxy-option', 2, [
			{ name: 'partner https', url: partnerHttps.url('/option-https') },
			{ name: 'partner http', url: partnerHttp.url('/option-http') },
		]);
		expect(results.map((result) => result.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(nodeProxy.log.filter((entry) => entry.method === 'POST' && entry.target === partnerHttp.url('/option-http'))).toHaveLength(2);
		expect(nodeProxy.log.some((entry) => entry.method === 'CONNECT' && entry.target === `${PARTNER_HOST}:${partnerHttps.port}`)).toBe(true);
		expect(egress.log.length).toBe(before);
	}, 120_000);
});
