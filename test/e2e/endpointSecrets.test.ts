import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import { StrictOAuthServer } from '../helpers/oauthServer';
import { Receiver, type ReceivedRequest } from '../helpers/receiver';
import { startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, deliveries, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';
import { scanForSecrets } from './support/secretScan';

/**
 * Endpoints with their own secrets in a real n8n 2.41.1: three partners, each with its own signing
 * secret, secret header and headers, two of them with their own OAuth2 client, entered through the
 * activity page's API and kept sealed. Each receiver verifies with its own secret (standardwebhooks
 * and svix) and sees only its own token and headers. Deliveries follow their endpoint as it is now:
 * a node-level credential is not sent to a host it is not bound to, a disabled or deleted endpoint
 * gets no retry, a changed URL gets it; recover resends what failed while an endpoint was disabled.
 */
describe('endpoints with their own secrets', () => {
	let n8n: N8n;
	let n: Notifications;
	let oauthA: StrictOAuthServer;
	let oauthB: StrictOAuthServer;
	const receivers: Record<'a' | 'b' | 'c' | 'd' | 'other' | 'retry', Receiver> = {} as never;
	const stamp = Date.now();
	const header = { a: `hdr-a-${stamp}-secret`, b: `hdr-b-${stamp}-secret`, c: `hdr-c-${stamp}-secret`, node: `hdr-node-${stamp}-secret` };
	const signing: Record<string, string> = {};
	const ids: Record<string, number> = {};
	/** Every answer of the page's API, with the one field meant to show a new signing secret taken out. */
	const apiAnswers: string[] = [];

	async function api(body: Record<string, unknown>) {
		const response = await fetch(`${n.url.activity}/api`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-webhook-admin-token': n.secrets.adminToken },
			body: JSON.stringify(body),
		});
		const answer = { status: response.status, body: (await response.json()) as Record<string, any> };
		const { signingSecret, ...shown } = answer.body;
		apiAnswers.push(JSON.stringify(shown));
		return answer;
	}
	const save = (endpoint: Record<string, unknown>) =>
		api({ action: 'saveEndpoint', endpoint: { eventTypes: '*', channels: '', active: true, authentication: 'none', description: '', ...endpoint } });

	beforeAll(async () => {
		oauthA = await new StrictOAuthServer('client-a', `oauth-a-${stamp}-client-secret`).start();
		oauthB = await new StrictOAuthServer('client-b', `oauth-b-${stamp}-client-secret`).start();
		for (const name of Object.keys({ a: 0, b: 0, c: 0, d: 0, other: 0, retry: 0 }) as Array<keyof typeof receivers>) receivers[name] = await new Receiver().start();
		n8n = await startN8n();
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			deliverOptions: { maxAttempts: 1, durableSchedule: Array(12).fill('3s').join(', ') },
			credentials: {
				// The node-level credential, bound to 127.0.0.1 only.
				'Webhook Secret Header': { type: 'webhookSecretHeaderApi', data: { allowedHosts: '127.0.0.1', headerName: 'x-node-secret', secret: header.node, additionalHeaders: {} } },
			},
		});
		receivers.a.authorize = (headers) => oauthA.accepts(headers.authorization as string) && headers['x-partner-a'] === header.a;
		receivers.b.authorize = (headers) => oauthB.accepts(headers.authorization as string) && headers['x-partner-b'] === header.b;
		receivers.c.authorize = (headers) => headers['x-partner-c'] === header.c;
		const partners = {
			a: { secretHeader: { name: 'x-partner-a', value: header.a }, headers: [{ name: 'x-tenant', value: 'tenant-a' }], oauth2: { tokenUrl: oauthA.tokenUrl, clientId: oauthA.clientId, clientSecret: oauthA.clientSecret } },
			b: { secretHeader: { name: 'x-partner-b', value: header.b }, headers: [{ name: 'x-region', value: 'eu-b' }], oauth2: { tokenUrl: oauthB.tokenUrl, clientId: oauthB.clientId, clientSecret: oauthB.clientSecret, scope: 'webhooks' } },
			c: { secretHeader: { name: 'x-partner-c', value: header.c }, headers: [{ name: 'x-tenant', value: 'tenant-c' }] },
		};
		for (const [name, secrets] of Object.entries(partners) as Array<[keyof typeof partners, (typeof partners)['a']]>) {
			const saved = await save({ name: `partner ${name}`, url: receivers[name].url(`/${name}`), secrets });
			expect(saved.status).toBe(200);
			expect(saved.body.signingSecret).toMatch(/^whsec_/);
			signing[name] = saved.body.signingSecret;
			ids[name] = saved.body.endpoint.id;
			receivers[name].verifyWith(signing[name]);
		}
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([...Object.values(receivers).map((receiver) => receiver?.stop()), oauthA?.stop(), oauthB?.stop()]);
	}, 60_000);

	const verifies = (request: ReceivedRequest, secret: string) => {
		const headers = Object.fromEntries(Object.entries(request.headers).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
		const check = (fn: () => unknown) => {
			try {
				fn();
				return true;
			} catch {
				return false;
			}
		};
		return check(() => new StandardWebhook(secret).verify(request.body, headers)) && check(() => new SvixWebhook(secret).verify(request.body, headers));
	};
	let crossSent = 0;
	let ownSecrets = 0;
	let sentAfterDisable = 0;

	it('refuses plain http to a host not allowed it (https by default), and keeps secrets write-only', async () => {
		const refused = await save({ name: 'plain http', url: 'http://partner.example/hooks' });
		expect(refused.status).toBe(422);
		expect(JSON.stringify(refused.body.errors)).toMatch(/Only https URLs are allowed/);
		const { body } = await api({ action: 'endpoints' });
		const a = body.endpoints.find((row: { name: string }) => row.name === 'partner a');
		expect(a).not.toHaveProperty('secrets');
		expect(a).not.toHaveProperty('signingSecret');
		expect(JSON.parse(a.secretsHint)).toEqual({
			signingSecret: `…${signing.a.slice(-4)}`,
			secretHeader: { name: 'x-partner-a', value: `…${header.a.slice(-4)}` },
			headers: [{ name: 'x-tenant', value: '…' }],
			oauth2: { tokenUrl: oauthA.tokenUrl, clientId: 'client-a', scope: '', clientSecret: `…${oauthA.clientSecret.slice(-4)}` },
		});
		const [row] = await rows(n, 'endpoints', [{ columnName: 'name', condition: 'eq', value: 'partner a' }]);
		expect(row.secrets).toMatch(/^sealed:v1:/);
		expect(row.signingSecret).toMatch(/^sealed:v1:/);
	});

	it('signs and authenticates each endpoint with its own secrets, and nothing of the others', async () => {
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: `evt_own_${stamp}` })])).status).toBe(202);
		for (const name of ['a', 'b', 'c'] as const) {
			await waitFor(() => receivers[name].on(`/${name}`).length >= 1, { timeoutMs: 60_000, what: `partner ${name} to receive the event` });
		}
		const others = (name: 'a' | 'b' | 'c') => (['a', 'b', 'c'] as const).filter((other) => other !== name);
		for (const name of ['a', 'b', 'c'] as const) {
			const receiver = receivers[name];
			expect(receiver.on('unauthorized')).toEqual([]);
			const [request] = receiver.on(`/${name}`);
			expect({ name, standard: request.verifiedByStandardWebhooks, svix: request.verifiedBySvix }).toEqual({ name, standard: true, svix: true });
			ownSecrets++; // its signing secret
			if (request.headers[`x-partner-${name}`] === header[name]) ownSecrets++;
			if (name !== 'c' && (name === 'a' ? oauthA : oauthB).accepts(request.headers.authorization as string)) ownSecrets++;
			// Nothing of another partner or of the node: no header, token or signature.
			const text = JSON.stringify(request.headers);
			for (const other of others(name)) {
				if (text.includes(header[other]) || verifies(request, signing[other])) crossSent++;
			}
			if (text.includes(header.node) || verifies(request, n.secrets.signingSecret)) crossSent++;
			if (name === 'a' && oauthB.accepts(request.headers.authorization as string)) crossSent++;
			if (name === 'b' && oauthA.accepts(request.headers.authorization as string)) crossSent++;
			if (name === 'c' && request.headers.authorization !== undefined) crossSent++;
		}
		expect(receivers.a.on('/a')[0].headers['x-tenant']).toBe('tenant-a');
		expect(receivers.b.on('/b')[0].headers['x-region']).toBe('eu-b');
		expect(receivers.b.on('/b')[0].headers['x-tenant']).toBeUndefined();
		expect(receivers.c.on('/c')[0].headers['x-tenant']).toBe('tenant-c');
		expect(ownSecrets).toBe(8);
		expect(crossSent).toBe(0);
	}, 120_000);

	it('rotates a signing secret: both sign during the overlap', async () => {
		const rotated = await save({ id: ids.a, name: 'partner a', url: receivers.a.url('/a'), rotateSigningSecret: true });
		expect(rotated.status).toBe(200);
		expect(rotated.body.signingSecret).toMatch(/^whsec_/);
		expect(rotated.body.signingSecret).not.toBe(signing.a);
		signing.rotatedA = rotated.body.signingSecret;
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: `evt_rotated_${stamp}` })])).status).toBe(202);
		const request = await waitFor(() => receivers.a.on('/a')[1], { timeoutMs: 60_000, what: 'the event after the rotation' });
		expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
		expect(verifies(request, signing.a)).toBe(true);
		expect(verifies(request, signing.rotatedA)).toBe(true);
		// The secrets entered before still authenticate: a rotation touches only the signing secret.
		expect(receivers.a.on('unauthorized')).toEqual([]);
	}, 120_000);

	it('does not send a node-level credential to a host it is not bound to, when an endpoint is re-pointed after deliveries started', async () => {
		receivers.d.script('/d', { status: 503, body: 'down' });
		const saved = await save({ name: 'node credential', url: receivers.d.url('/d'), authentication: 'secretHeader', eventTypes: 'invoice.paid' });
		expect(saved.status).toBe(200);
		ids.d = saved.body.endpoint.id;
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.paid', { id: `evt_repoint_${stamp}` })])).status).toBe(202);
		await waitFor(() => receivers.d.on('/d').length >= 1, { timeoutMs: 60_000, what: 'the first attempt on 127.0.0.1' });
		expect(receivers.d.on('/d')[0].headers['x-node-secret']).toBe(header.node); // bound to 127.0.0.1: sent there
		// Another host name for another receiver: "localhost" is not among the credential's Allowed Hosts.
		const moved = receivers.other.url('/moved').replace('127.0.0.1', 'localhost');
		expect((await save({ id: ids.d, name: 'node credential', url: moved, authentication: 'secretHeader', eventTypes: 'invoice.paid' })).status).toBe(200);
		const [delivery] = await waitFor(async () => {
			const found = await deliveries(n, [{ columnName: 'endpointName', condition: 'eq', value: 'node credential' }]);
			return found[0]?.status === 'failed' && found;
		}, { timeoutMs: 60_000, what: 'the re-pointed delivery to end' });
		expect(delivery.error).toBe('Not sent: localhost is not among the Allowed Hosts of the Webhook Secret Header API credential');
		expect(delivery.endpointUrl).toBe(moved);
		expect(receivers.other.requests.filter((request) => JSON.stringify(request.headers).includes(header.node))).toEqual([]);
		crossSent += receivers.other.requests.filter((request) => JSON.stringify(request.headers).includes(header.node)).length;
		expect(receivers.other.requests).toEqual([]);
	}, 120_000);

	it('sends no retry to a disabled or deleted endpoint, sends it to a changed URL, and recovers after re-enabling', async () => {
		const retry = receivers.retry;
		for (const path of ['/disabled', '/deleted', '/moved']) retry.script(path, { status: 503, body: 'down' });
		const [disabled, deleted, moved] = await addEndpoints(n, [
			{ name: 'to disable', url: retry.url('/disabled'), eventTypes: 'invoice.written_off' },
			{ name: 'to delete', url: retry.url('/deleted'), eventTypes: 'invoice.written_off' },
			{ name: 'to move', url: retry.url('/moved'), eventTypes: 'invoice.written_off' },
		]);
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.written_off', { id: `evt_state_${stamp}` })])).status).toBe(202);
		await waitFor(() => ['/disabled', '/deleted', '/moved'].every((path) => retry.on(path).length >= 1), { timeoutMs: 60_000, what: 'the first attempts' });
		const since = new Date().toISOString();
		expect((await api({ action: 'setEndpointActive', id: disabled.id, active: false })).status).toBe(200);
		expect((await api({ action: 'deleteEndpoint', id: deleted.id, confirm: true })).status).toBe(200);
		expect((await save({ id: moved.id, name: 'to move', url: retry.url('/moved-here'), eventTypes: 'invoice.written_off' })).status).toBe(200);
		const before = { disabled: retry.on('/disabled').length, deleted: retry.on('/deleted').length };

		const finished = await waitFor(async () => {
			// The partners subscribed to every event get it too: only the three endpoints under test count here.
			const all = (await rows(n, 'deliveries', [{ columnName: 'eventId', condition: 'eq', value: `evt_state_${stamp}` }])).filter((row) =>
				['to disable', 'to delete', 'to move'].includes(row.endpointName as string),
			);
			return all.length === 3 && all;
		}, { timeoutMs: 90_000, what: 'the three deliveries to end' });
		const byName = Object.fromEntries(finished.map((row) => [row.endpointName, row]));
		expect(byName['to disable']).toMatchObject({ status: 'failed', error: 'Not sent: the endpoint is disabled (Disabled on the activity page)' });
		expect(byName['to delete']).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Not sent: the endpoint was deleted/) });
		expect(byName['to move']).toMatchObject({ status: 'sent', endpointUrl: retry.url('/moved-here') });
		expect(retry.on('/moved-here')).toHaveLength(1);
		sentAfterDisable = retry.on('/disabled').length - before.disabled + retry.on('/deleted').length - before.deleted;
		expect(sentAfterDisable).toBe(0);

		// Recover: re-enabled (and answering again), what failed since it was disabled is resent.
		retry.script('/disabled', { status: 200, body: 'back' });
		expect((await api({ action: 'setEndpointActive', id: disabled.id, active: true })).status).toBe(200);
		const recovered = await api({ action: 'recover', endpointId: disabled.id, since });
		expect(recovered).toMatchObject({ status: 200, body: { recover: { matched: 1, sent: 1, failed: 0 } } });
		expect(retry.on('/disabled')).toHaveLength(before.disabled + 1);
		const [row] = await rows(n, 'deliveries', [{ columnName: 'endpointName', condition: 'eq', value: 'to disable' }]);
		expect(row).toMatchObject({ status: 'sent', responseCode: 200 });
		expect((await api({ action: 'recover', endpointId: 'x', since })).status).toBe(400);
	}, 180_000);

	it('leaves none of the secrets in tables, executions, logs or API answers', async () => {
		const secrets = [
			header.a, header.b, header.c, header.node,
			oauthA.clientSecret, oauthB.clientSecret, ...oauthA.issued, ...oauthB.issued,
			signing.a, signing.b, signing.c, signing.rotatedA,
			...[signing.a, signing.b, signing.c].map((secret) => secret.slice('whsec_'.length)),
			n.secrets.endpointSecretsKey,
		];
		expect(oauthA.issued.size + oauthB.issued.size).toBeGreaterThan(1);
		const scan = await scanForSecrets(n8n, n, secrets);
		const inAnswers = apiAnswers.filter((text) => secrets.some((secret) => text.includes(secret)));
		const leaked = scan.findings.length + inAnswers.length;
		expect(scan.findings).toEqual([]);
		expect(inAnswers).toEqual([]);
		expect(scan.scannedRows).toBeGreaterThan(0);
		// eslint-disable-next-line no-console
		console.log(`endpoints: own_secrets=${ownSecrets} cross_sent=${crossSent} sent_after_disable=${sentAfterDisable} leaked=${leaked}`);
	});
});
