import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { DeliverWebhook } from '../../nodes/DeliverWebhook/DeliverWebhook.node';
import { scopedDeliveryId } from '../../nodes/shared/delivery/delivery';
import { sampleEvent } from '../helpers/deliveries';
import { executeContext } from '../helpers/executeContext';
import { StrictOAuthServer } from '../helpers/oauthServer';
import { Receiver, newSigningSecret } from '../helpers/receiver';

const signingSecret = newSigningSecret();
const headerSecret = 'hdr-s3cret-value-for-partner';
const clientSecret = 'oauth-cl1ent-secret-value';
const fastOptions = { allowedPrivateHosts: '127.0.0.1', allowedHttpHosts: '127.0.0.1, localhost', maxAttempts: 2, timeout: 2000, durableSchedule: '1s, 2s' };

describe('Deliver Webhook node', () => {
	const node = new DeliverWebhook();
	let receiver: Receiver;
	let oauth: StrictOAuthServer;

	beforeAll(async () => {
		oauth = await new StrictOAuthServer('client-1', clientSecret).start();
	});
	afterAll(() => oauth.stop());
	beforeEach(async () => {
		receiver = await new Receiver(signingSecret).start();
	});
	afterEach(() => receiver.stop());

	const credentials = {
		webhookSigningSecretApi: { secret: signingSecret, previousSecret: '' },
		webhookSecretHeaderApi: { allowedHosts: '127.0.0.1', headerName: 'x-partner-token', secret: headerSecret, additionalHeaders: { header: [{ name: 'x-tenant', value: 'acme' }] } },
		webhookOAuth2Api: { allowedHosts: '127.0.0.1, localhost', tokenUrl: '', clientId: 'client-1', clientSecret, scope: '', authentication: 'header' },
	};
	const withTokenUrl = () => ({ ...credentials, webhookOAuth2Api: { ...credentials.webhookOAuth2Api, tokenUrl: oauth.tokenUrl } });

	function endpoints() {
		return [
			{ id: 1, name: 'accounting', url: receiver.url('/accounting'), active: true, eventTypes: '["invoice.activated","invoice.paid"]', channels: '', authentication: 'secretHeader' },
			{ id: 2, name: 'crm', url: receiver.url('/crm'), active: true, eventTypes: '*', channels: '', authentication: 'oauth2' },
			{ id: 3, name: 'paused', url: receiver.url('/paused'), active: false, eventTypes: '*', channels: '' },
			{ id: 4, name: 'orders-only', url: receiver.url('/orders'), active: true, eventTypes: 'order.created', channels: '' },
			{ id: 5, name: 'client-a', url: receiver.url('/client-a'), active: true, eventTypes: '*', channels: 'client_a' },
			{ id: 6, name: 'broken', url: 'ftp://nope', active: true, eventTypes: '*' },
		];
	}

	test('each event goes to every matching endpoint, with per-endpoint authentication, signed, paired to its item', async () => {
		const events = [sampleEvent({ type: 'invoice.activated', channels: ['client_a'] }), sampleEvent({ type: 'order.created', channels: [] })];
		receiver.authorize = (headers, path) =>
			path === '/accounting' ? headers['x-partner-token'] === headerSecret : path === '/crm' ? oauth.accepts(headers.authorization) : true;
		const ctx = executeContext({
			description: node.description,
			items: events as unknown as IDataObject[],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'list', endpoints: endpoints(), authentication: 'perEndpoint', signPayload: true, options: { ...fastOptions, includeSkipped: true } },
			credentials: withTokenUrl(),
		});
		const [output] = await node.execute.call(ctx);
		const summary = output.map((item) => [item.pairedItem, item.json.endpointName, item.json.status]);

		expect(summary).toEqual(
			expect.arrayContaining([
				[{ item: 0 }, 'accounting', 'sent'],
				[{ item: 0 }, 'crm', 'sent'],
				[{ item: 0 }, 'client-a', 'sent'],
				[{ item: 0 }, 'paused', 'skipped'],
				[{ item: 0 }, 'orders-only', 'skipped'],
				[{ item: 0 }, 'broken', 'failed'],
				[{ item: 1 }, 'crm', 'sent'],
				[{ item: 1 }, 'orders-only', 'sent'],
				[{ item: 1 }, 'client-a', 'skipped'],
			]),
		);
		expect(output).toHaveLength(6 + 6);
		expect(summary.filter(([, , status]) => status === 'sent')).toHaveLength(5);
		expect(receiver.requests.every((request) => request.verifiedBySvix && request.verifiedByStandardWebhooks)).toBe(true);
		expect(receiver.on('/accounting')[0].headers['x-tenant']).toBe('acme');
		expect(receiver.on('/paused')).toHaveLength(0);
		expect(receiver.on('unauthorized')).toHaveLength(0);
		const broken = output.find((item) => item.json.endpointName === 'broken')!.json;
		expect(broken.error).toMatch(/ftp:/);
		expect(broken.attempts).toBe(1);

		const text = JSON.stringify(output);
		for (const secret of [signingSecret, headerSecret, clientSecret, ...oauth.issued]) expect(text).not.toContain(secret);
	});

	test('output items carry everything a log row needs', async () => {
		const event = sampleEvent();
		const ctx = executeContext({
			description: node.description,
			items: [event as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/one'), endpointName: 'one', authentication: 'none', signPayload: true, options: fastOptions },
			credentials,
		});
		const [[item]] = await node.execute.call(ctx);
		expect(item.json).toMatchObject({
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId,
			channels: 'client_1bd942c0',
			endpointName: 'one',
			endpointUrl: receiver.url('/one'),
			status: 'sent',
			responseCode: 200,
			attempts: 1,
			retryRound: 0,
			nextAttemptAt: null,
			payload: JSON.stringify(event),
		});
		expect(item.json.deliveryId).toBe(receiver.on('/one')[0].headers['webhook-id']);
		expect((item.json.attemptLog as IDataObject[])[0]).toMatchObject({ attempt: 1, responseCode: 200, trigger: 'scheduled' });
	});

	test('event data is wrapped in an envelope of the chosen type', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [{ invoiceId: 'INV-1', amount: 10 }],
			parameters: { operation: 'deliver', eventSource: 'data', eventType: 'invoice.paid', resourceId: 'INV-1', channels: 'client_x, agent_y', endpointSource: 'url', url: receiver.url('/d'), authentication: 'none', signPayload: false, options: fastOptions },
		});
		const [[item]] = await node.execute.call(ctx);
		const body = JSON.parse(receiver.on('/d')[0].body);
		expect(body).toMatchObject({ type: 'invoice.paid', resourceId: 'INV-1', channels: ['client_x', 'agent_y'], data: { invoiceId: 'INV-1', amount: 10 } });
		expect(body.id).toMatch(/^evt_[0-9a-f]{32}$/);
		expect(item.json.eventId).toBe(body.id);
		expect(receiver.on('/d')[0].headers['webhook-signature']).toBeUndefined();
	});

	test('an invalid event stops the run before anything is sent, naming the item', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject, { type: 'Not A Type', data: 'x' }],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/x'), authentication: 'none', signPayload: false, options: fastOptions },
		});
		const error = await node.execute.call(ctx).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/^Item 1 is not a valid event \(type: must look like "invoice.activated"; data: /);
		expect((error as NodeOperationError & { context: IDataObject }).context.itemIndex).toBe(1);
		expect(receiver.requests).toHaveLength(0);
	});

	test('with Continue On Fail, a bad item becomes an error item and the good ones are delivered', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [{ type: 'invoice.paid' }, sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/x'), authentication: 'none', signPayload: false, options: fastOptions },
			continueOnFail: true,
		});
		const [output] = await node.execute.call(ctx);
		expect(output[0]).toEqual({ json: { error: expect.stringMatching(/^Item 0 is not a valid event \(data: Required\)$/) }, pairedItem: { item: 0 } });
		expect(output[1]).toMatchObject({ json: { status: 'sent' }, pairedItem: { item: 1 } });
		expect(receiver.requests).toHaveLength(1);
	});

	test('a bad single URL is a clear per-item error', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: '', authentication: 'none', signPayload: false, options: fastOptions },
		});
		await expect(node.execute.call(ctx)).rejects.toThrow('Invalid endpoint: url is required');
	});

	test.each([
		['not JSON', '{oops', /Endpoint List is not valid JSON/],
		['a number', 42, /Endpoint List must be an array of endpoints/],
	])('an endpoint list that is %s is refused clearly', async (_what, endpointList, message) => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'list', endpoints: endpointList, authentication: 'none', signPayload: false, options: fastOptions },
		});
		await expect(node.execute.call(ctx)).rejects.toThrow(message);
	});

	test.each([
		[{ durableSchedule: '5 minutes' }, /Durable Retry Schedule.*"5" is not a duration/],
		[{ timeout: -1 }, /"Timeout \(Ms\)" must be a number from 100 to 300000/],
		[{ maxAttempts: 0 }, /"Max Attempts per Run" must be a number from 1 to 10/],
		[{ allowedPrivateHosts: '10.0.0.0/99' }, null],
	])('bad options are refused before sending: %j', async (options, message) => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/x'), authentication: 'none', signPayload: false, options },
		});
		if (message) {
			await expect(node.execute.call(ctx)).rejects.toThrow(message);
		} else {
			const [[item]] = await node.execute.call(ctx);
			expect(item.json).toMatchObject({ status: 'failed', error: expect.stringMatching(/invalid prefix length/) });
		}
		expect(receiver.requests).toHaveLength(0);
	});

	test('signing without a signing secret credential is a clear error', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/x'), authentication: 'none', signPayload: true, options: fastOptions },
		});
		await expect(node.execute.call(ctx)).rejects.toThrow('Sign Webhooks is on, but no Webhook Signing Secret API credential with a secret is set');
	});

	test('a malformed signing secret is refused without echoing it', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: { operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/x'), authentication: 'none', signPayload: true, options: fastOptions },
			credentials: { webhookSigningSecretApi: { secret: 'whsec_sh0rt!!' } },
		});
		const error = (await node.execute.call(ctx).catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(/Signing secret must be/);
		expect(error.message).not.toContain('sh0rt');
	});

	test('an endpoint asking for OAuth2 when the node has no OAuth2 credential fails that delivery only', async () => {
		const ctx = executeContext({
			description: node.description,
			items: [sampleEvent() as unknown as IDataObject],
			parameters: {
				operation: 'deliver', eventSource: 'envelope', endpointSource: 'list', authentication: 'perEndpoint', signPayload: false, options: fastOptions,
				endpoints: [
					{ name: 'needs-oauth', url: receiver.url('/o'), authentication: 'oauth2' },
					{ name: 'plain', url: receiver.url('/p') },
				],
			},
		});
		const [output] = await node.execute.call(ctx);
		const byName = Object.fromEntries(output.map((item) => [item.json.endpointName, item.json]));
		expect(byName['needs-oauth']).toMatchObject({ status: 'failed', attempts: 0, error: expect.stringMatching(/no Webhook OAuth2 API credential/) });
		expect(byName.plain).toMatchObject({ status: 'sent' });
	});

	test('Prepare Event Records and Plan Deliveries: rows for the tables, known and repeated events left out, nothing sent', async () => {
		const [event, known] = [sampleEvent(), sampleEvent()];
		const record = executeContext({
			description: node.description,
			items: [event, known, event] as unknown as IDataObject[],
			parameters: { operation: 'record', eventSource: 'envelope', source: 'shipping', skipEventIds: [`shipping:${known.id}`] },
		});
		const [records] = await node.execute.call(record);
		expect(records).toEqual([
			{
				json: { eventKey: `shipping:${event.id}`, source: 'shipping', eventId: event.id, eventType: event.type, resourceId: event.resourceId ?? '', channels: (event.channels ?? []).join(','), payload: JSON.stringify(event) },
				pairedItem: { item: 0 },
			},
		]);

		const before = Date.now();
		const plan = executeContext({
			description: node.description,
			items: [{ ...records[0].json, id: 41 }],
			parameters: {
				operation: 'plan', endpointSource: 'list', claim: 'exec-9', lease: 90, options: fastOptions,
				endpoints: [{ id: 1, name: 'a', url: receiver.url('/a') }, { id: 2, name: 'b', url: receiver.url('/b'), eventTypes: 'order.created' }, { id: 3, url: '' }],
			},
		});
		const [planned] = await node.execute.call(plan);
		expect(planned.map((item) => [item.json.endpointName, item.json.status, item.json.error])).toEqual([
			['a', 'pending', null],
			['(invalid endpoint)', 'pending', expect.stringMatching(/^Invalid endpoint: url/)],
		]);
		expect(planned[0]).toMatchObject({ pairedItem: { item: 0 }, json: { eventRow: 41, endpointId: 1, claim: 'exec-9', attempts: 0, version: 0, payload: JSON.stringify(event) } });
		// Scoped by source: shipping's delivery ids are not billing's for the same event id.
		expect(planned[0].json.deliveryId).toBe(scopedDeliveryId('shipping', event.id, 'id:1'));
		expect(planned[0].json.deliveryId).not.toBe(scopedDeliveryId('billing', event.id, 'id:1'));
		expect(Date.parse(planned[0].json.dueAt as string)).toBeGreaterThanOrEqual(before + 90_000);
		expect(receiver.requests).toHaveLength(0);

		// The planned rows are what Continue Deliveries sends; the broken endpoint's row fails without a request.
		const send = executeContext({
			description: node.description,
			items: planned.map((item) => item.json),
			parameters: { operation: 'continue', attemptTrigger: 'scheduled', authentication: 'none', signPayload: true, options: fastOptions },
			credentials,
		});
		const [sent] = await node.execute.call(send);
		expect(sent.map((item) => [item.json.status, item.json.finished, item.json.attempts])).toEqual([
			['sent', true, 1],
			['failed', true, 0],
		]);
		expect(sent[0].json).not.toHaveProperty('payload');
		expect(receiver.on('/a')[0].headers['webhook-id']).toBe(planned[0].json.deliveryId);
		expect(receiver.requests).toHaveLength(1);
	});

	test('Continue Deliveries: a retrying outbox row is sent with the same id and bytes, its body taken from the event records', async () => {
		receiver.script('/later', { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 200 });
		const event = sampleEvent();
		const row = {
			id: 5, deliveryId: 'dlv_later', eventRow: 12, eventId: event.id, endpointId: 4, endpointName: 'later', endpointUrl: receiver.url('/later'),
			status: 'pending', attempts: 0, retryRound: '0', attemptLog: '', dueAt: new Date(Date.now() + 60_000).toISOString(), claim: 'exec-1', version: 0,
		};
		const run = (items: IDataObject[], trigger = 'scheduled') =>
			node.execute.call(
				executeContext({
					description: node.description,
					items,
					parameters: { operation: 'continue', attemptTrigger: trigger, authentication: 'none', signPayload: true, options: fastOptions, eventRecords: [{ id: 12, payload: JSON.stringify(event) }] },
					credentials,
				}),
			);
		const [[first]] = await run([row]);
		expect(first).toMatchObject({ pairedItem: { item: 0 }, json: { id: 5, status: 'retrying', finished: false, attempts: 2, retryRound: 1, claim: '' } });
		expect(first.json.dueAt).toBe(first.json.nextAttemptAt);
		expect(JSON.parse(first.json.attemptLog as string).map((attempt: { n: number }) => attempt.n)).toEqual([1, 2]);

		// A manual attempt that fails leaves the schedule as it was, and is recorded.
		// (Each run claims the row first, which moves dueAt to the end of its claim.)
		const claimed = (json: IDataObject, claim: string) => ({ ...json, claim, dueAt: new Date(Date.now() + 60_000).toISOString() });
		const [[manual]] = await run([claimed(first.json, 'exec-2')], 'manual');
		expect(manual.json).toMatchObject({ status: 'retrying', finished: false, retryRound: 1, nextAttemptAt: first.json.nextAttemptAt, attempts: 4 });
		expect(JSON.parse(manual.json.attemptLog as string).at(-1)).toMatchObject({ n: 4, code: 503, by: 'm' });

		const [[second]] = await run([claimed(manual.json, 'exec-3')]);
		expect(second.json).toMatchObject({ status: 'sent', finished: true, attempts: 5, deliveryId: 'dlv_later', responseCode: 200, error: null });
		const requests = receiver.on('/later');
		expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set(['dlv_later']));
		expect(new Set(requests.map((request) => request.body))).toEqual(new Set([JSON.stringify(event)]));
		expect(requests.every((request) => request.verifiedBySvix)).toBe(true);
	});

	test('Continue Deliveries: a claim about to run out starts no attempt; skipped events are not sent; a row that is not a delivery is an error', async () => {
		const event = sampleEvent();
		const base = { deliveryId: 'dlv_abc', payload: JSON.stringify(event), endpointUrl: receiver.url('/again'), endpointName: 'again', attempts: 4, retryRound: 3, status: 'retrying' };
		const ctx = executeContext({
			description: node.description,
			items: [
				{ ...base, claim: 'exec-1', dueAt: new Date(Date.now() + 500).toISOString() },
				{ ...base, eventRow: 9, deliveryId: 'dlv_skip' },
				{ deliveryId: 'dlv_x', payload: 'not json', endpointUrl: receiver.url('/again') },
				{ payload: '{}' },
			],
			parameters: { operation: 'continue', attemptTrigger: 'scheduled', authentication: 'none', signPayload: false, skipEventRows: '9', options: fastOptions },
			continueOnFail: true,
		});
		const [output] = await node.execute.call(ctx);
		expect(output[0].json).toMatchObject({ status: 'retrying', finished: false, attempts: 4, error: expect.stringMatching(/^Not attempted: .* claim on the delivery ran out/) });
		expect(output[1]).toMatchObject({ pairedItem: { item: 1 }, json: { deliveryId: 'dlv_skip', status: 'skipped', finished: true } });
		expect(output[2]).toEqual({ json: { error: 'Not a delivery to continue: payload is not valid JSON' }, pairedItem: { item: 2 } });
		expect(output[3].json.error).toMatch(/^Not a delivery to continue: deliveryId is required$/);
		expect(receiver.on('/again')).toHaveLength(0);
	});

	test('credential tests: a token is really fetched; bad secrets and headers are reported without their values', async () => {
		const { webhookOAuth2ApiTest, webhookSigningSecretApiTest, webhookSecretHeaderApiTest } = node.methods.credentialTest;
		const call = (fn: typeof webhookOAuth2ApiTest, data: IDataObject) => fn.call({} as never, { id: '1', name: 'c', type: 't', data } as never);

		expect(await call(webhookOAuth2ApiTest, withTokenUrl().webhookOAuth2Api)).toEqual({ status: 'OK', message: 'The token endpoint issued an access token' });
		const wrong = await call(webhookOAuth2ApiTest, { ...withTokenUrl().webhookOAuth2Api, clientSecret: 'nope-nope-nope' });
		expect(wrong).toEqual({ status: 'Error', message: 'The OAuth2 token endpoint answered 401 (invalid_client)' });
		expect(await call(webhookSigningSecretApiTest, { secret: signingSecret })).toMatchObject({ status: 'OK' });
		const badSecret = await call(webhookSigningSecretApiTest, { secret: 'whsec_abc' });
		expect(badSecret.status).toBe('Error');
		expect(badSecret.message).not.toContain('abc');
		expect(await call(webhookSecretHeaderApiTest, { headerName: 'x-ok', secret: 'v' })).toMatchObject({ status: 'OK' });
		expect(await call(webhookSecretHeaderApiTest, { headerName: 'bad header', secret: 'v' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/invalid header name/) });
		expect(await call(webhookSecretHeaderApiTest, { headerName: 'authorization', secret: 'v' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/reserved/) });
	});
	test('Check Endpoints: needs no credential, sends nothing, answers each row with its verdict, paired', async () => {
		const rows = [
			{ name: 'ok', url: receiver.url('/ok'), eventTypes: 'invoice.paid', active: true },
			{ name: 'metadata', url: 'http://169.254.169.254/', eventTypes: '*' },
			{ name: 'typo', url: receiver.url('/typo'), eventTypes: 'invoice.payed' },
		];
		const ctx = executeContext({ description: node.description, items: rows, parameters: { operation: 'check', options: { allowedPrivateHosts: '127.0.0.1' } } });
		const [output] = await node.execute.call(ctx);
		expect(output.map((item) => [item.pairedItem, item.json.valid])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, false],
			[{ item: 2 }, false],
		]);
		expect(output[0].json.endpoint).toMatchObject({ name: 'ok', eventTypes: 'invoice.paid', authentication: 'none' });
		expect(output[1].json.errors).toEqual([expect.stringMatching(/^url: Refused to connect to 169\.254\.169\.254/)]);
		expect(output[2].json.errors).toEqual(['eventTypes: "invoice.payed" is not an event type of the catalog']);
		expect(receiver.requests).toHaveLength(0);
	});
});
