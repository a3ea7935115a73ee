import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { ShippingEventTrigger } from '../../../nodes/ShippingEventTrigger/ShippingEventTrigger.node';
import { findEventType, sampleEvent } from '../../../nodes/shared/event/catalog';
import { parseEnvelope, type WebhookEvent } from '../../../nodes/shared/event/envelope';
import { N8nWebhookHarness, type HarnessOptions } from './n8nWebhookHarness';
import { removeN8nUserFolder } from './n8nUserFolder';

const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const eventOf = (type: string, changes: Partial<WebhookEvent> = {}): WebhookEvent => ({ ...sampleEvent(findEventType(type)!), ...changes });

const harnesses: N8nWebhookHarness[] = [];
async function trigger(options: Partial<HarnessOptions> & { parameters?: Record<string, unknown> }): Promise<N8nWebhookHarness> {
	// These cases are about other settings: they choose no authentication and an immediate answer explicitly
	// (a new node defaults to signature and "When Last Node Finishes"; see 'defaults' below).
	const harness = await new N8nWebhookHarness({
		nodeType: new BillingEventTrigger(),
		...options,
		parameters: { authentication: 'none', respond: 'immediately', validation: 'strict', ...options.parameters },
	}).start();
	harnesses.push(harness);
	return harness;
}
afterEach(async () => {
	await Promise.all(harnesses.splice(0).map((harness) => harness.stop()));
});
afterAll(removeN8nUserFolder);

async function post(url: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
	const response = await fetch(url, { method: 'POST', headers, body });
	const text = await response.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json: json as Record<string, unknown>, headers: response.headers };
}

describe('Billing Event Trigger over HTTP, respond immediately', () => {
	test('202 with the accepted ids; one execution whose items are exactly the events', async () => {
		const harness = await trigger({});
		const events = [eventOf('invoice.activated', { id: 'evt_1' }), eventOf('order.activated', { id: 'evt_2' })];
		const response = await post(harness.url, JSON.stringify(events));

		expect(response.status).toBe(202);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(response.json).toEqual({
			received: 2,
			accepted: [
				{ index: 0, id: 'evt_1', type: 'invoice.activated' },
				{ index: 1, id: 'evt_2', type: 'order.activated' },
			],
			dropped: [],
			rejected: [],
		});
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].items).toEqual(events.map((event) => ({ json: event })));
		// Each item goes into the Deliver Webhook node as it is.
		for (const item of harness.executions[0].items) {
			expect(parseEnvelope(item.json)).toEqual({ ok: true, event: item.json });
		}
	});

	test('a batch with valid and invalid events: 202 listing the rejected ones; the run gets the valid ones only', async () => {
		const harness = await trigger({});
		const bad = eventOf('invoice.paid', { id: 'evt_bad' });
		(bad.data.invoice as Record<string, unknown>).currencyIsoCode = 'dollars';
		const response = await post(harness.url, JSON.stringify([eventOf('invoice.paid', { id: 'evt_ok' }), bad]));

		expect(response.status).toBe(202);
		expect(response.json.rejected).toEqual([
			{ index: 1, id: 'evt_bad', type: 'invoice.paid', issues: [{ path: 'data.invoice.currencyIsoCode', message: 'must be an ISO 4217 currency code like "USD"' }] },
		]);
		expect(harness.executions.map((execution) => execution.items.map((item) => item.json.id))).toEqual([['evt_ok']]);
	});

	test('422 when no event is valid, with each zod path and message; no execution', async () => {
		const harness = await trigger({});
		const response = await post(harness.url, JSON.stringify([{ type: 'invoice.paid', data: { invoice: { id: 'x' } } }]));
		expect(response.status).toBe(422);
		expect(response.json).toMatchObject({ error: 'invalid_events', received: 1, accepted: [] });
		const [rejected] = response.json.rejected as Array<{ index: number; issues: Array<{ path: string; message: string }> }>;
		expect(rejected.index).toBe(0);
		expect(rejected.issues).toEqual(
			expect.arrayContaining([
				{ path: 'data.invoice.name', message: 'Required' },
				{ path: 'data.invoice.customerId', message: 'Required' },
				{ path: '(root)', message: expect.stringMatching(/^and \d+ more issues$/) },
			]),
		);
		expect(harness.executions).toEqual([]);
	});

	test('400 for malformed JSON sent as application/json: the node answers, not n8n’s body parser', async () => {
		const harness = await trigger({});
		const response = await post(harness.url, '{"type": "invoice.paid", ');
		expect(response.status).toBe(400);
		expect(response.json).toEqual({ error: 'bad_request', message: 'The body is not valid JSON' });
		expect(harness.executions).toEqual([]);
	});

	test('400 for JSON that is not an event', async () => {
		const harness = await trigger({});
		const response = await post(harness.url, '"invoice.paid"');
		expect(response.status).toBe(400);
		expect(response.json.message).toBe('The body must be an event (a JSON object) or an array of events');
	});

	test('413 above the size limit, refused from Content-Length before the body is read', async () => {
		const harness = await trigger({ parameters: { triggerOptions: { maxBodySizeMb: 0.01 } } });
		const big = JSON.stringify(Array.from({ length: 10 }, (_, index) => eventOf('order.activated', { id: `evt_${index}` })));
		expect(Buffer.byteLength(big)).toBeGreaterThan(10_486);
		const response = await post(harness.url, big);
		expect(response.status).toBe(413);
		expect(response.json).toEqual({ error: 'payload_too_large', message: 'The body is larger than 10486 bytes' });
		expect(harness.executions).toEqual([]);
	});

	test('413 above the event cap', async () => {
		const harness = await trigger({ parameters: { triggerOptions: { maxEvents: 2 } } });
		const response = await post(harness.url, JSON.stringify([eventOf('invoice.paid'), eventOf('invoice.paid'), eventOf('invoice.paid')]));
		expect(response.status).toBe(413);
		expect(response.json.message).toBe('At most 2 events per request, not 3');
	});

	test('415 for a body that is not JSON by its content type', async () => {
		const harness = await trigger({});
		const response = await post(harness.url, JSON.stringify(eventOf('invoice.paid')), { 'content-type': 'text/plain' });
		expect(response.status).toBe(415);
		expect(response.json).toEqual({ error: 'unsupported_media_type', message: 'Content-Type must be application/json, not text/plain' });
	});

	test('a gzip-encoded request is read as n8n decompresses it', async () => {
		const harness = await trigger({});
		const response = await post(harness.url, gzipSync(JSON.stringify(eventOf('invoice.paid', { id: 'evt_gz' }))), {
			'content-type': 'application/json',
			'content-encoding': 'gzip',
		});
		expect(response.status).toBe(202);
		expect(harness.executions[0].items[0].json.id).toBe('evt_gz');
	});
});

describe('filters', () => {
	test('event types: others are acknowledged and dropped, the answer says so', async () => {
		const harness = await trigger({ parameters: { events: ['invoice.paid', 'invoice.refunded'] } });
		const response = await post(
			harness.url,
			JSON.stringify([eventOf('invoice.paid', { id: 'a' }), eventOf('order.created', { id: 'b' }), eventOf('invoice.refunded', { id: 'c' })]),
		);
		expect(response.status).toBe(202);
		expect(response.json.dropped).toEqual([{ index: 1, id: 'b', type: 'order.created', reason: 'event type not listened for' }]);
		expect(harness.executions[0].items.map((item) => item.json.id)).toEqual(['a', 'c']);
	});

	test('a request whose events are all dropped is answered 202 and starts no execution', async () => {
		const harness = await trigger({ parameters: { events: ['invoice.paid'] } });
		const response = await post(harness.url, JSON.stringify(eventOf('customer.created')));
		expect(response.status).toBe(202);
		expect(response.json).toMatchObject({ accepted: [], dropped: [{ index: 0, type: 'customer.created', reason: 'event type not listened for' }] });
		expect(harness.executions).toEqual([]);
	});

	test('channels: only events carrying one of the channels start the workflow', async () => {
		const harness = await trigger({ parameters: { triggerOptions: { channels: 'client_1, agent_2' } } });
		const response = await post(
			harness.url,
			JSON.stringify([
				eventOf('invoice.paid', { id: 'mine', channels: ['agent_2'] }),
				eventOf('invoice.paid', { id: 'theirs', channels: ['client_9'] }),
				eventOf('invoice.paid', { id: 'none', channels: undefined }),
			]),
		);
		expect(response.status).toBe(202);
		expect(harness.executions[0].items.map((item) => item.json.id)).toEqual(['mine']);
		expect((response.json.dropped as Array<{ id: string; reason: string }>).map((entry) => [entry.id, entry.reason])).toEqual([
			['theirs', 'channel not listened for'],
			['none', 'channel not listened for'],
		]);
	});

	test('shipping: the order channel is the channel; billing events are not shipping events', async () => {
		const harness = await trigger({ nodeType: new ShippingEventTrigger(), parameters: { triggerOptions: { channels: 'webshop-se' } } });
		const { channels: _channels, ...shipment } = eventOf('shipping.shipment.created', { id: 'shp_evt' });
		const otherChannel = eventOf('shipping.order.created', { id: 'other', channels: ['erp-no'] });
		const response = await post(harness.url, JSON.stringify([shipment, otherChannel, eventOf('invoice.paid', { id: 'inv' })]));

		expect(response.status).toBe(202);
		expect(harness.executions[0].items.map((item) => [item.json.id, item.json.channels])).toEqual([['shp_evt', ['webshop-se']]]);
		expect(response.json.rejected).toEqual([
			{ index: 2, id: 'inv', type: 'invoice.paid', issues: [{ path: 'type', message: '"invoice.paid" is not a shipping event type of the catalog' }] },
		]);
		expect(response.json.dropped).toEqual([{ index: 1, id: 'other', type: 'shipping.order.created', reason: 'channel not listened for' }]);
	});
});

describe('authentication', () => {
	const body = JSON.stringify(eventOf('invoice.paid', { id: 'evt_auth' }));

	describe('secret header, with the webhookSecretHeaderApi credential', () => {
		const credentials = { webhookSecretHeaderApi: { headerName: 'x-nue-secret-token', secret: 'tok_9f8e7d6c5b4a', additionalHeaders: {} } };
		const parameters = { authentication: 'secretHeader' };

		test('the right secret: 202', async () => {
			const harness = await trigger({ parameters, credentials });
			const response = await post(harness.url, body, { 'content-type': 'application/json', 'x-nue-secret-token': 'tok_9f8e7d6c5b4a' });
			expect(response.status).toBe(202);
			expect(harness.executions).toHaveLength(1);
		});

		test.each([
			['a wrong secret', { 'x-nue-secret-token': 'tok_guess' }, 'The x-nue-secret-token header does not match'],
			['no secret', {}, 'Missing the x-nue-secret-token header'],
		])('%s: 401, no execution, no secret in the answer', async (_name, headers, message) => {
			const harness = await trigger({ parameters, credentials });
			const response = await post(harness.url, body, { 'content-type': 'application/json', ...headers });
			expect(response.status).toBe(401);
			expect(response.json).toEqual({ error: 'unauthorized', message });
			expect(response.text).not.toContain('tok_9f8e7d6c5b4a');
			expect(harness.executions).toEqual([]);
		});
	});

	describe('Standard Webhooks signature, with the webhookSigningSecretApi credential', () => {
		const secret = newSigningSecret();
		const credentials = { webhookSigningSecretApi: { secret, previousSecret: '' } };
		const parameters = { authentication: 'signature' };
		const signedHeaders = (payload: string, options: { secret?: string; at?: Date; id?: string } = {}) => {
			const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
			const at = options.at ?? new Date();
			return {
				'content-type': 'application/json',
				'webhook-id': id,
				'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
				'webhook-signature': new StandardWebhook(options.secret ?? secret).sign(id, at, payload),
			};
		};

		test('signed by the standardwebhooks library: 202', async () => {
			const harness = await trigger({ parameters, credentials });
			const response = await post(harness.url, body, signedHeaders(body));
			expect(response.status).toBe(202);
			expect(harness.executions[0].items[0].json.id).toBe('evt_auth');
		});

		test('signed by the svix library (svix-* headers): 202', async () => {
			const harness = await trigger({ parameters, credentials });
			const id = 'msg_svix_1';
			const at = new Date();
			const signature = new SvixWebhook(secret).sign(id, at, body);
			const response = await post(harness.url, body, {
				'content-type': 'application/json',
				'svix-id': id,
				'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
				'svix-signature': signature,
			});
			expect(response.status).toBe(202);
		});

		test('the previous secret keeps working during a rotation', async () => {
			const previous = newSigningSecret();
			const harness = await trigger({ parameters, credentials: { webhookSigningSecretApi: { secret, previousSecret: previous } } });
			expect((await post(harness.url, body, signedHeaders(body, { secret: previous }))).status).toBe(202);
		});

		test.each([
			['forged with another secret', (payload: string) => signedHeaders(payload, { secret: newSigningSecret() }), 'No matching signature'],
			['signed for a different body', (payload: string) => signedHeaders(payload.replace('evt_auth', 'evt_else')), 'No matching signature'],
			['stale (6 minutes old)', (payload: string) => signedHeaders(payload, { at: new Date(Date.now() - 6 * 60_000) }), 'webhook-timestamp is too old'],
			['from the future (6 minutes ahead)', (payload: string) => signedHeaders(payload, { at: new Date(Date.now() + 6 * 60_000) }), 'webhook-timestamp is in the future'],
			['unsigned', () => ({ 'content-type': 'application/json' }), 'Missing webhook-id, webhook-timestamp or webhook-signature header'],
		])('%s: 401, no execution', async (_name, headers, message) => {
			const harness = await trigger({ parameters, credentials });
			const response = await post(harness.url, body, headers(body));
			expect(response.status).toBe(401);
			expect(response.json).toEqual({ error: 'unauthorized', message });
			expect(harness.executions).toEqual([]);
		});

		test('verified over the raw bytes even when gzip-encoded on the wire', async () => {
			const harness = await trigger({ parameters, credentials });
			const pretty = JSON.stringify(eventOf('customer.created'), null, 2);
			const response = await post(harness.url, gzipSync(pretty), { ...signedHeaders(pretty), 'content-encoding': 'gzip' });
			expect(response.status).toBe(202);
		});

		test('a signing secret that is not a whsec_ secret fails the run visibly (n8n answers 500)', async () => {
			const harness = await trigger({ parameters, credentials: { webhookSigningSecretApi: { secret: 'not a secret', previousSecret: '' } } });
			const response = await post(harness.url, body, signedHeaders(body, { secret }));
			expect(response.status).toBe(500);
			expect(response.json).toEqual({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			expect(harness.webhookErrors.map((error) => error.message)).toEqual(['Authentication: Signing secret must be "whsec_" followed by base64']);
		});
	});

	test('n8n hands the node the credential only for the authentication chosen', async () => {
		const harness = await trigger({ parameters: { authentication: 'none' }, credentials: {} });
		expect((await post(harness.url, body)).status).toBe(202);
	});
});

describe('respond after the workflow', () => {
	test('"When Last Node Finishes": the answer waits for the last node and carries its first item', async () => {
		const recorded: unknown[] = [];
		const harness = await trigger({
			parameters: { respond: 'afterWorkflow' },
			downstream: async (items) => {
				recorded.push(...items.map((item) => item.json.id));
				return [{ json: { recorded: items.length } }];
			},
		});
		expect(harness.responseOptions()).toEqual({ responseMode: 'lastNode', responseCode: 200, responseData: 'firstEntryJson' });
		const response = await post(harness.url, JSON.stringify([eventOf('invoice.paid', { id: 'r1' }), eventOf('invoice.paid', { id: 'r2' })]));
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ recorded: 2 });
		expect(recorded).toEqual(['r1', 'r2']);
	});

	test('"When Last Node Finishes": a failing workflow answers 500, so the source retries', async () => {
		const harness = await trigger({
			parameters: { respond: 'afterWorkflow' },
			downstream: async () => {
				throw new Error('data table unavailable');
			},
		});
		const response = await post(harness.url, JSON.stringify(eventOf('invoice.paid')));
		expect(response.status).toBe(500);
		expect(harness.executions).toHaveLength(1);
	});

	test('"When Last Node Finishes" with No Response Body', async () => {
		const harness = await trigger({ parameters: { respond: 'afterWorkflow', responseData: 'noData' } });
		expect(harness.responseOptions().responseData).toBe('noData');
		const response = await post(harness.url, JSON.stringify(eventOf('invoice.paid')));
		expect(response.status).toBe(200);
		expect(response.text).toBe('');
	});

	test('bad requests are still refused at once, and start nothing', async () => {
		let ran = false;
		const harness = await trigger({
			parameters: { respond: 'afterWorkflow' },
			downstream: async (items) => {
				ran = true;
				return items;
			},
		});
		expect((await post(harness.url, '{oops')).status).toBe(400);
		expect((await post(harness.url, JSON.stringify({ type: 'invoice.paid', data: {} }))).status).toBe(422);
		expect(ran).toBe(false);
		expect(harness.executions).toEqual([]);
	});

	test("Using 'Respond to Webhook' node: the response node answers; without one, 202 and an empty body at the end", async () => {
		const answering = await trigger({
			parameters: { respond: 'responseNode' },
			downstream: async (items, respond) => {
				respond({ statusCode: 201, body: { stored: items.map((item) => item.json.id) } });
				return items;
			},
		});
		expect(answering.responseOptions().responseMode).toBe('responseNode');
		const answered = await post(answering.url, JSON.stringify(eventOf('invoice.paid', { id: 'rn1' })));
		expect(answered.status).toBe(201);
		expect(answered.json).toEqual({ stored: ['rn1'] });

		const silent = await trigger({ parameters: { respond: 'responseNode' } });
		const fallback = await post(silent.url, JSON.stringify(eventOf('invoice.paid')));
		expect(fallback.status).toBe(202);
		expect(fallback.text).toBe('');
	});

	test('"Immediately" is n8n\'s onReceived mode with code 202 and the node\'s receipt as the body', async () => {
		const harness = await trigger({});
		const options = harness.responseOptions();
		expect(options.responseMode).toBe('onReceived');
		expect(options.responseCode).toBe(202);
		expect(options.responseData).toBeFalsy();
	});
});

describe('"Listen for test event" (manual mode, /webhook-test/ URL)', () => {
	test('an accepted event starts a manual execution with the event as its item', async () => {
		const harness = await trigger({ mode: 'manual' });
		expect(harness.url).toContain('/webhook-test/');
		const response = await post(harness.url, JSON.stringify(eventOf('invoice.paid', { id: 'evt_test' })));
		expect(response.status).toBe(202);
		expect(harness.executions).toEqual([{ mode: 'manual', items: [{ json: eventOf('invoice.paid', { id: 'evt_test' }) }] }]);
	});

	test('a refused request starts no execution, so n8n keeps listening for the next one', async () => {
		const harness = await trigger({ mode: 'manual' });
		expect((await post(harness.url, '[]')).status).toBe(400);
		expect(harness.executions).toEqual([]);
		expect((await post(harness.url, JSON.stringify(eventOf('invoice.paid')))).status).toBe(202);
		expect(harness.executions).toHaveLength(1);
	});

	test('the sample shown in the node for an event type is accepted as it is', async () => {
		const harness = await trigger({ mode: 'manual' });
		const property = new BillingEventTrigger().description.properties.find((p) => p.name === 'sample_invoice_activated')!;
		const response = await post(harness.url, property.default as string);
		expect(response.status).toBe(202);
		expect(harness.executions[0].items[0].json).toEqual(JSON.parse(property.default as string));
	});
});

describe('when n8n has parsed the body itself (the node does not opt out)', () => {
	// Without the hidden options.binaryData switch, n8n's parseBody runs first: req.rawBody is set
	// and the node reads it; malformed JSON never reaches the node (n8n answers 422 itself).
	test('the node uses the req.rawBody n8n kept, byte for byte (signatures verify)', async () => {
		const secret = newSigningSecret();
		const harness = await trigger({
			parameters: { options: {}, authentication: 'signature' },
			credentials: { webhookSigningSecretApi: { secret, previousSecret: '' } },
		});
		const payload = JSON.stringify(eventOf('invoice.paid'), null, 3);
		const at = new Date();
		const response = await post(harness.url, payload, {
			'content-type': 'application/json',
			'webhook-id': 'msg_1',
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': new StandardWebhook(secret).sign('msg_1', at, payload),
		});
		expect(response.status).toBe(202);
	});

	test("malformed JSON is then refused by n8n's parser with its own 422", async () => {
		const harness = await trigger({ parameters: { options: {} } });
		const response = await post(harness.url, '{nope');
		expect(response.status).toBe(422);
		expect(response.json).toEqual({ code: 422, message: 'Failed to parse request body' });
	});

	test('by default the node asks n8n not to pre-parse (options.binaryData on a type-version-1 node)', async () => {
		const harness = await trigger({});
		expect(harness.nodeParameters.options).toEqual({ binaryData: true });
	});
});

describe('defaults of a freshly added trigger', () => {
	test('refuses an unsigned request and answers a signed one only after the workflow has run', async () => {
		const secret = newSigningSecret();
		const harness = await new N8nWebhookHarness({
			nodeType: new BillingEventTrigger(),
			parameters: {},
			credentials: { webhookSigningSecretApi: { secret, previousSecret: '' } },
			downstream: async (items) => items.map((item) => ({ json: { recorded: item.json.id } })),
		}).start();
		harnesses.push(harness);
		expect(harness.nodeParameters).toMatchObject({ authentication: 'signature', respond: 'afterWorkflow' });

		const body = JSON.stringify([eventOf('invoice.created', { id: 'evt_default' })]);
		const unsigned = await post(harness.url, body);
		expect(unsigned.status).toBe(401);
		expect(harness.executions).toEqual([]);

		const id = 'msg_default_1';
		const at = new Date();
		const signed = await post(harness.url, body, {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': new StandardWebhook(secret).sign(id, at, body),
		});
		// The answer is the last node's first item: the workflow ran before the sender heard back.
		expect(signed.status).toBe(200);
		expect(signed.json).toEqual({ recorded: 'evt_default' });
	});
});
