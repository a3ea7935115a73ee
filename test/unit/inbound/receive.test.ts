import { createHmac } from 'node:crypto';

import { Webhook as StandardWebhook } from 'standardwebhooks';

import { parseEnvelope, type WebhookEvent } from '../../../nodes/shared/event/envelope';
import { receiveEvents, type InboundResult } from '../../../nodes/shared/inbound/receive';
import { billingSettings, eventOf, json, jsonHeaders, newSigningSecret } from './helpers';

const now = new Date('2025-03-04T12:00:00.000Z');
const receive = (body: Buffer, settings = billingSettings(), headers: Record<string, string> = jsonHeaders): InboundResult =>
	receiveEvents({ headers, rawBody: body }, settings, now);

describe('receiveEvents: events', () => {
	test('one valid event: 202, emitted unchanged as a WebhookEvent with its own id', () => {
		const event = eventOf('invoice.activated', { id: 'evt_src_1' });
		const result = receive(json(event));

		expect(result.statusCode).toBe(202);
		expect(result.events).toEqual([event]);
		expect(result.body).toEqual({ received: 1, accepted: [{ index: 0, id: 'evt_src_1', type: 'invoice.activated' }], dropped: [], rejected: [] });
		// What the Deliver Webhook node gets must parse to itself.
		expect(parseEnvelope(JSON.parse(JSON.stringify(result.events[0])))).toEqual({ ok: true, event: result.events[0] });
	});

	test('an event without id, timestamp and resourceId gets an id, the time of receipt and the invoice id', () => {
		const { id: _id, timestamp: _timestamp, resourceId: _resourceId, ...bare } = eventOf('invoice.paid');
		const [event] = receive(json(bare)).events;

		expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
		expect(event.timestamp).toBe(now.toISOString());
		expect(event.resourceId).toBe('a0F4W00000XkT2bUAF');
		expect(Object.keys(event)).toEqual(['id', 'type', 'timestamp', 'userId', 'resourceId', 'channels', 'data']);
	});

	test('the source resourceId, userId and channels are kept; extra envelope fields are not emitted', () => {
		const sent = { ...eventOf('order.activated'), resourceId: 'custom-resource', userId: 'u-1', channels: ['agent_7'], extra: 'x' };
		const [event] = receive(json(sent)).events;
		expect(event).toMatchObject({ resourceId: 'custom-resource', userId: 'u-1', channels: ['agent_7'] });
		expect(event).not.toHaveProperty('extra');
	});

	test('extra fields inside data are kept: schemas tolerate what sources add over time', () => {
		const sent = eventOf('order.activated');
		(sent.data.order as Record<string, unknown>).newFieldFromSource = { nested: true };
		const [event] = receive(json(sent)).events;
		expect((event.data.order as Record<string, unknown>).newFieldFromSource).toEqual({ nested: true });
	});

	test('a batch with valid and invalid events: 202, the good ones emitted, the bad ones listed with index, id, path and message', () => {
		const good1 = eventOf('invoice.paid', { id: 'evt_a' });
		const bad = eventOf('order.activated', { id: 'evt_b' });
		(bad.data.order as Record<string, unknown>).status = 'Draft';
		delete (bad.data.order as Record<string, unknown>).totalAmount;
		const good2 = eventOf('customer.created', { id: 'evt_c' });
		const notAnObject = 42;

		const result = receive(json([good1, bad, good2, notAnObject]));

		expect(result.statusCode).toBe(202);
		expect(result.events.map((e) => e.id)).toEqual(['evt_a', 'evt_c']);
		expect(result.body.accepted).toEqual([
			{ index: 0, id: 'evt_a', type: 'invoice.paid' },
			{ index: 2, id: 'evt_c', type: 'customer.created' },
		]);
		expect(result.body.rejected).toEqual([
			{
				index: 1,
				id: 'evt_b',
				type: 'order.activated',
				issues: expect.arrayContaining([
					{ path: 'data.order.status', message: 'must be "Activated" for this event' },
					{ path: 'data.order.totalAmount', message: 'Required' },
				]),
			},
			{ index: 3, issues: [{ path: '(root)', message: 'an event must be a JSON object' }] },
		]);
	});

	test('a batch where no event is valid: 422 listing each one', () => {
		const result = receive(json([{ type: 'invoice.paid', data: {} }, { id: 'evt_x', type: 'Not A Type', data: {} }]));
		expect(result.statusCode).toBe(422);
		expect(result.events).toEqual([]);
		expect(result.body.error).toBe('invalid_events');
		expect(result.body.rejected).toEqual([
			{ index: 0, type: 'invoice.paid', issues: [{ path: 'data.invoice', message: 'Required' }, { path: 'data.invoiceItems', message: 'Required' }] },
			{ index: 1, id: 'evt_x', type: 'Not A Type', issues: [{ path: 'type', message: 'must look like "invoice.activated"' }] },
		]);
	});

	test('a single invalid event: 422', () => {
		const result = receive(json({ type: 'invoice.paid', timestamp: 'yesterday', data: eventOf('invoice.paid').data }));
		expect(result.statusCode).toBe(422);
		expect(result.body.rejected).toEqual([{ index: 0, type: 'invoice.paid', issues: [{ path: 'timestamp', message: 'must be an ISO 8601 date-time' }] }]);
	});

	test('an event type of another system or unknown to the catalog is rejected, not silently dropped', () => {
		const result = receive(json([eventOf('shipping.order.created'), { type: 'invoice.exploded', data: {} }]));
		expect(result.statusCode).toBe(422);
		expect(result.body.rejected?.map((entry) => entry.issues[0])).toEqual([
			{ path: 'type', message: '"shipping.order.created" is not a billing event type of the catalog' },
			{ path: 'type', message: '"invoice.exploded" is not a billing event type of the catalog' },
		]);
	});

	test('an event type the node does not listen for is acknowledged and dropped, and the answer says so', () => {
		const settings = billingSettings({ eventTypes: ['invoice.paid'] });
		const result = receive(json([eventOf('invoice.paid', { id: 'p' }), eventOf('order.created', { id: 'o' })]), settings);
		expect(result.statusCode).toBe(202);
		expect(result.events.map((e) => e.type)).toEqual(['invoice.paid']);
		expect(result.body.dropped).toEqual([{ index: 1, id: 'o', type: 'order.created', reason: 'event type not listened for' }]);
	});

	test('only dropped events: 202 with nothing accepted, nothing emitted', () => {
		const result = receive(json(eventOf('order.created')), billingSettings({ eventTypes: ['invoice.paid'] }));
		expect(result.statusCode).toBe(202);
		expect(result.events).toEqual([]);
		expect(result.body.accepted).toEqual([]);
		expect(result.body.dropped).toHaveLength(1);
	});

	test('a dropped type is not validated: the node does not judge events it does not listen for', () => {
		const result = receive(json({ type: 'order.created', data: {} }), billingSettings({ eventTypes: ['invoice.paid'] }));
		expect(result.statusCode).toBe(202);
		expect(result.body.dropped).toEqual([{ index: 0, type: 'order.created', reason: 'event type not listened for' }]);
	});

	test('channel filter: an event passes when it carries one of the channels, others are dropped', () => {
		const settings = billingSettings({ channels: ['client_a', 'agent_b'] });
		const result = receive(
			json([
				eventOf('invoice.paid', { id: 'e1', channels: ['client_a'] }),
				eventOf('invoice.paid', { id: 'e2', channels: ['client_z', 'agent_b'] }),
				eventOf('invoice.paid', { id: 'e3', channels: ['client_z'] }),
				eventOf('invoice.paid', { id: 'e4', channels: undefined }),
			]),
			settings,
		);
		expect(result.events.map((e) => e.id)).toEqual(['e1', 'e2']);
		expect(result.body.dropped?.map((d) => [d.id, d.reason])).toEqual([
			['e3', 'channel not listened for'],
			['e4', 'channel not listened for'],
		]);
	});

	test('no channel filter: events with and without channels all pass', () => {
		const result = receive(json([eventOf('invoice.paid', { id: 'a', channels: ['x'] }), eventOf('invoice.paid', { id: 'b', channels: undefined })]));
		expect(result.events.map((e) => e.id)).toEqual(['a', 'b']);
	});

	test("shipping: an event without channels takes its order channel, so the channel filter works on it", () => {
		const { channels: _channels, ...event } = eventOf('shipping.shipment.created');
		const settings = billingSettings({ system: 'shipping', channels: ['webshop-se'] });
		const result = receive(json(event), settings);
		expect(result.events[0].channels).toEqual(['webshop-se']);
		expect(receive(json(event), { ...settings, channels: ['erp-no'] }).body.dropped?.[0].reason).toBe('channel not listened for');
	});

	test('duplicate ids in one request: the first is emitted, the rest acknowledged as duplicates', () => {
		const result = receive(json([eventOf('invoice.paid', { id: 'same' }), eventOf('invoice.paid', { id: 'same' }), eventOf('invoice.paid', { id: 'other' })]));
		expect(result.events.map((e) => e.id)).toEqual(['same', 'other']);
		expect(result.body.dropped).toEqual([{ index: 1, id: 'same', type: 'invoice.paid', reason: 'duplicate id in this request' }]);
	});

	test('events without id in one batch get distinct ids', () => {
		const { id: _id, ...bare } = eventOf('invoice.paid');
		const result = receive(json([bare, bare, bare]));
		expect(new Set(result.events.map((e) => e.id)).size).toBe(3);
	});

	test('a rejected event lists at most 10 issues and counts the rest', () => {
		const result = receive(json({ type: 'order.activated', data: { order: {}, orderProducts: [{}, {}] } }));
		const issues = result.body.rejected![0].issues;
		expect(issues).toHaveLength(11);
		expect(issues[10].message).toMatch(/^and \d+ more issues$/);
	});

	test('a batch above the event cap: 413, nothing emitted', () => {
		const result = receive(json(Array.from({ length: 6 }, () => eventOf('invoice.paid'))), billingSettings({ maxEvents: 5 }));
		expect(result.statusCode).toBe(413);
		expect(result.body).toEqual({ error: 'payload_too_large', message: 'At most 5 events per request, not 6' });
	});

	test('1,000 events pass the default cap, 1,001 do not', () => {
		const event = eventOf('customer.deleted');
		const many = (count: number) => json(Array.from({ length: count }, (_, index) => ({ ...event, id: `evt_${index}` })));
		expect(receive(many(1000)).events).toHaveLength(1000);
		expect(receive(many(1001)).statusCode).toBe(413);
	});
});

describe('receiveEvents: secret header', () => {
	const settings = billingSettings({ auth: { mode: 'secretHeader', headerName: 'X-Nue-Secret', secret: 's3cr3t-token-value' } });
	const body = json(eventOf('invoice.paid'));

	test('the right secret: 202 (header names are case-insensitive)', () => {
		expect(receive(body, settings, { ...jsonHeaders, 'x-nue-secret': 's3cr3t-token-value' }).statusCode).toBe(202);
	});

	test.each([
		['a wrong secret', { 'x-nue-secret': 'guess' }, 'The x-nue-secret header does not match'],
		['the secret with a trailing space', { 'x-nue-secret': 's3cr3t-token-value ' }, 'The x-nue-secret header does not match'],
		['an empty header', { 'x-nue-secret': '' }, 'The x-nue-secret header does not match'],
		['no header', {}, 'Missing the x-nue-secret header'],
		['the secret in another header', { 'x-webhook-secret': 's3cr3t-token-value' }, 'Missing the x-nue-secret header'],
	])('%s: 401, and the answer never contains the secret', (_name, headers, message) => {
		const result = receive(body, settings, { ...jsonHeaders, ...headers });
		expect(result.statusCode).toBe(401);
		expect(result.body).toEqual({ error: 'unauthorized', message });
		expect(result.events).toEqual([]);
		expect(JSON.stringify(result.body)).not.toContain('s3cr3t');
	});

	test('authentication comes before parsing: bad JSON with a wrong secret is a 401, not a 400', () => {
		expect(receive(Buffer.from('{nope'), settings, { ...jsonHeaders, 'x-nue-secret': 'guess' }).statusCode).toBe(401);
	});
});

describe('receiveEvents: Standard Webhooks signature', () => {
	const secret = newSigningSecret();
	const settings = billingSettings({ auth: { mode: 'signature', secrets: [secret] } });
	const signed = (payload: string | Buffer, options: { secret?: string; at?: Date; id?: string } = {}) => {
		const id = options.id ?? 'msg_2Zx9kF1';
		const at = options.at ?? now;
		return {
			...jsonHeaders,
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': new StandardWebhook(options.secret ?? secret).sign(id, at, payload),
		};
	};
	const payload = JSON.stringify(eventOf('invoice.paid', { id: 'evt_signed' }));

	test('signed by the standardwebhooks library: 202', () => {
		const result = receive(Buffer.from(payload), settings, signed(payload));
		expect(result.statusCode).toBe(202);
		expect(result.events[0].id).toBe('evt_signed');
	});

	test('verified over the raw bytes: pretty-printed JSON with a BOM and non-ASCII text verifies as sent', () => {
		const event = eventOf('customer.created');
		(event.data.customer as Record<string, unknown>).name = 'Åsa Öberg Ærø – 東京';
		const pretty = `\uFEFF${JSON.stringify(event, null, 4)}\n`;
		const result = receive(Buffer.from(pretty, 'utf8'), settings, signed(pretty));
		expect(result.statusCode).toBe(202);
		expect((result.events[0].data.customer as Record<string, unknown>).name).toBe('Åsa Öberg Ærø – 東京');
	});

	test('the previous secret of a rotation still verifies', () => {
		const previous = newSigningSecret();
		const rotating = billingSettings({ auth: { mode: 'signature', secrets: [secret, previous] } });
		expect(receive(Buffer.from(payload), rotating, signed(payload, { secret: previous })).statusCode).toBe(202);
	});

	test.each([
		['signed with another secret', () => signed(payload, { secret: newSigningSecret() }), 'No matching signature'],
		['signed for another body', () => signed(payload.replace('evt_signed', 'evt_other')), 'No matching signature'],
		['signed for another message id', () => ({ ...signed(payload), 'webhook-id': 'msg_other' }), 'No matching signature'],
		['signed 6 minutes ago', () => signed(payload, { at: new Date(now.getTime() - 6 * 60_000) }), 'webhook-timestamp is too old'],
		['signed 6 minutes in the future', () => signed(payload, { at: new Date(now.getTime() + 6 * 60_000) }), 'webhook-timestamp is in the future'],
		['with the timestamp header changed', () => ({ ...signed(payload), 'webhook-timestamp': String(Math.floor(now.getTime() / 1000) - 1) }), 'No matching signature'],
		['without the signature header', () => ({ ...signed(payload), 'webhook-signature': '' }), 'Missing webhook-id, webhook-timestamp or webhook-signature header'],
		['without headers', () => jsonHeaders, 'Missing webhook-id, webhook-timestamp or webhook-signature header'],
		['with a v2 signature only', () => ({ ...signed(payload), 'webhook-signature': signed(payload)['webhook-signature'].replace('v1,', 'v2,') }), 'No matching signature'],
		['with a timestamp in milliseconds', () => ({ ...signed(payload), 'webhook-timestamp': String(now.getTime()) }), 'webhook-timestamp must be Unix seconds'],
		['with a non-numeric timestamp', () => ({ ...signed(payload), 'webhook-timestamp': 'now' }), 'webhook-timestamp must be Unix seconds'],
	])('%s: 401', (_name, headers, message) => {
		const result = receive(Buffer.from(payload), settings, headers());
		expect(result.statusCode).toBe(401);
		expect(result.body).toEqual({ error: 'unauthorized', message });
		expect(JSON.stringify(result.body)).not.toContain(secret.slice(6, 20));
	});

	test('the signature covers the bytes received, not a decoding of them', () => {
		// Not UTF-8: the standardwebhooks library would sign its lossy string decoding of these
		// bytes, so this signature is made per the spec, over the bytes, with node:crypto.
		const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d]);
		const id = 'msg_bytes';
		const timestamp = String(Math.floor(now.getTime() / 1000));
		const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
		const overBytes = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(bytes).digest('base64');
		const headers = { ...jsonHeaders, 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${overBytes}` };

		// Authenticated, then refused for what the bytes are.
		expect(receive(bytes, settings, headers).body).toEqual({ error: 'bad_request', message: 'The body is not valid UTF-8' });
		// The library's signature of the decoded text is over other bytes: not a match.
		const librarySigned = { ...headers, 'webhook-signature': new StandardWebhook(secret).sign(id, now, bytes) };
		expect(receive(bytes, settings, librarySigned).body).toEqual({ error: 'unauthorized', message: 'No matching signature' });
	});

	test('4 minutes 59 seconds old still verifies (5 minute tolerance)', () => {
		expect(receive(Buffer.from(payload), settings, signed(payload, { at: new Date(now.getTime() - 299_000) })).statusCode).toBe(202);
	});

	test('svix-* headers are accepted as well as webhook-*', () => {
		const headers = signed(payload);
		const svixHeaders = {
			...jsonHeaders,
			'svix-id': headers['webhook-id'],
			'svix-timestamp': headers['webhook-timestamp'],
			'svix-signature': headers['webhook-signature'],
		};
		expect(receive(Buffer.from(payload), settings, svixHeaders).statusCode).toBe(202);
	});

	test('under a verified signature, events without id take the webhook-id: stable across redeliveries', () => {
		const { id: _id, ...bare } = eventOf('invoice.paid');
		const single = JSON.stringify(bare);
		expect(receive(Buffer.from(single), settings, signed(single, { id: 'msg_abc' })).events[0].id).toBe('msg_abc');
		const batch = JSON.stringify([bare, bare]);
		expect(receive(Buffer.from(batch), settings, signed(batch, { id: 'msg_abc' })).events.map((e: WebhookEvent) => e.id)).toEqual([
			'msg_abc.0',
			'msg_abc.1',
		]);
	});

	test('a signing secret that is not a whsec_ secret is a configuration error: 500 without details', () => {
		const broken = billingSettings({ auth: { mode: 'signature', secrets: ['not-base64!'] } });
		expect(receive(Buffer.from(payload), broken, signed(payload)).body).toEqual({ error: 'server_error', message: 'The trigger is not configured correctly' });
	});

	test('an empty secret header secret is a configuration error, never "no authentication"', () => {
		const broken = billingSettings({ auth: { mode: 'secretHeader', headerName: 'x-webhook-secret', secret: '' } });
		expect(receive(Buffer.from(payload), broken, { ...jsonHeaders, 'x-webhook-secret': '' }).statusCode).toBe(500);
	});
});
