import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { findEventType, sampleEvent } from '../../../nodes/shared/event/catalog';
import { N8nWebhookHarness } from './n8nWebhookHarness';
import { removeN8nUserFolder } from './n8nUserFolder';

/*
 * Hostile and malformed requests, posted over real HTTP to the Billing Event Trigger run the way
 * n8n runs it. None of them may start an execution, crash the node, pollute a prototype, or echo
 * the secret; each gets the documented status and error code.
 */

const secret = 'hdr-secret-5d1c9a7e';
const invoicePaid = sampleEvent(findEventType('invoice.paid')!);
const withData = (data: unknown) => JSON.stringify({ ...invoicePaid, data });
const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const json = { 'content-type': 'application/json', 'x-webhook-secret': secret };

interface Row {
	name: string;
	body: string | Buffer;
	headers?: Record<string, string>;
	status: number;
	error: string;
	message?: string | RegExp;
}

const rows: Row[] = [
	// Transport and size
	{ name: 'Content-Length above the limit', body: 'x'.repeat(70_000), status: 413, error: 'payload_too_large' },
	{ name: 'gzip bomb: 17 MB of zeros in 17 KB', body: gzipSync(Buffer.alloc(17 * 1024 * 1024)), headers: { ...json, 'content-encoding': 'gzip' }, status: 413, error: 'payload_too_large' },
	{ name: 'more events than the cap', body: JSON.stringify(Array.from({ length: 6 }, () => invoicePaid)), status: 413, error: 'payload_too_large' },
	// Authentication
	{ name: 'no secret header', body: JSON.stringify(invoicePaid), headers: { 'content-type': 'application/json' }, status: 401, error: 'unauthorized' },
	{ name: 'wrong secret', body: JSON.stringify(invoicePaid), headers: { ...json, 'x-webhook-secret': 'hdr-secret-5d1c9a7f' }, status: 401, error: 'unauthorized' },
	{ name: 'secret as a prefix', body: JSON.stringify(invoicePaid), headers: { ...json, 'x-webhook-secret': secret.slice(0, -1) }, status: 401, error: 'unauthorized' },
	{ name: 'secret in another header', body: JSON.stringify(invoicePaid), headers: { 'content-type': 'application/json', authorization: secret }, status: 401, error: 'unauthorized' },
	// Media type
	{ name: 'text/plain', body: JSON.stringify(invoicePaid), headers: { ...json, 'content-type': 'text/plain' }, status: 415, error: 'unsupported_media_type' },
	{ name: 'form-urlencoded', body: 'type=invoice.paid&data=1', headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' }, status: 415, error: 'unsupported_media_type' },
	{ name: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', headers: { ...json, 'content-type': 'multipart/form-data; boundary=x' }, status: 415, error: 'unsupported_media_type' },
	{ name: 'XML', body: '<event type="invoice.paid"/>', headers: { ...json, 'content-type': 'application/xml' }, status: 415, error: 'unsupported_media_type' },
	{ name: 'JSON declared as latin-1', body: JSON.stringify(invoicePaid), headers: { ...json, 'content-type': 'application/json; charset=iso-8859-1' }, status: 415, error: 'unsupported_media_type' },
	// Encoding and syntax
	{ name: 'empty body', body: '', status: 400, error: 'bad_request', message: /empty/ },
	{ name: 'whitespace only', body: ' \n\t ', status: 400, error: 'bad_request', message: /empty/ },
	{ name: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, error: 'bad_request', message: 'The body is not valid UTF-8' },
	{ name: 'overlong UTF-8 encoding of "/"', body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), status: 400, error: 'bad_request', message: 'The body is not valid UTF-8' },
	{ name: 'UTF-16 with a BOM', body: Buffer.from(`\uFEFF${JSON.stringify(invoicePaid)}`, 'utf16le'), status: 400, error: 'bad_request', message: 'The body is not valid UTF-8' },
	{ name: 'truncated JSON', body: JSON.stringify(invoicePaid).slice(0, 40), status: 400, error: 'bad_request', message: 'The body is not valid JSON' },
	{ name: 'trailing garbage', body: `${JSON.stringify(invoicePaid)} trailing`, status: 400, error: 'bad_request', message: 'The body is not valid JSON' },
	{ name: 'NaN literal', body: '{"type":"invoice.paid","data":{"x":NaN}}', status: 400, error: 'bad_request', message: 'The body is not valid JSON' },
	{ name: 'single quotes', body: "{'type':'invoice.paid'}", status: 400, error: 'bad_request', message: 'The body is not valid JSON' },
	{ name: 'JavaScript comment', body: `// hi\n${JSON.stringify(invoicePaid)}`, status: 400, error: 'bad_request', message: 'The body is not valid JSON' },
	// Shape
	{ name: 'null', body: 'null', status: 400, error: 'bad_request', message: /must be an event/ },
	{ name: 'a number', body: '42', status: 400, error: 'bad_request', message: /must be an event/ },
	{ name: 'a string', body: '"invoice.paid"', status: 400, error: 'bad_request', message: /must be an event/ },
	{ name: 'true', body: 'true', status: 400, error: 'bad_request', message: /must be an event/ },
	{ name: 'an empty array', body: '[]', status: 400, error: 'bad_request', message: 'The array holds no events' },
	// Prototype pollution and nesting
	{ name: '__proto__ at the top', body: `{"__proto__":{"polluted":"yes"},${JSON.stringify(invoicePaid).slice(1)}`, status: 400, error: 'bad_request', message: /"__proto__"/ },
	{ name: '__proto__ deep in data', body: withData({ invoice: { x: {} } }).replace('"x":{}', '"x":{"__proto__":{"polluted":"yes"}}'), status: 400, error: 'bad_request', message: /"__proto__"/ },
	{ name: '__proto__ written with unicode escapes', body: '{"\\u005f\\u005fproto__":{"polluted":"yes"},"type":"invoice.paid","data":{}}', status: 400, error: 'bad_request', message: /"__proto__"/ },
	{ name: 'constructor.prototype', body: '{"constructor":{"prototype":{"polluted":"yes"}},"type":"invoice.paid","data":{}}', status: 400, error: 'bad_request', message: /"constructor"/ },
	{ name: 'prototype key inside an array item', body: JSON.stringify([{ ...invoicePaid, data: { list: [{ prototype: 1 }] } }]), status: 400, error: 'bad_request', message: /"prototype"/ },
	{ name: '25,000 nested arrays', body: '['.repeat(25_000) + ']'.repeat(25_000), status: 400, error: 'bad_request', message: /nested more than 32 levels/ },
	{ name: '40 nested objects inside data', body: withData(JSON.parse(nested(40, '1'))), status: 400, error: 'bad_request', message: /nested more than 32 levels/ },
	// Events that are not valid events
	{ name: 'array of scalars', body: '[1, "two", null]', status: 422, error: 'invalid_events' },
	{ name: 'event without type', body: JSON.stringify({ data: invoicePaid.data }), status: 422, error: 'invalid_events' },
	{ name: 'type "__proto__"', body: JSON.stringify({ type: '__proto__', data: {} }), status: 422, error: 'invalid_events' },
	{ name: 'type "toString" (an Object.prototype name)', body: JSON.stringify({ type: 'tostring.call', data: {} }), status: 422, error: 'invalid_events' },
	{ name: 'type in capitals', body: JSON.stringify({ ...invoicePaid, type: 'Invoice.Paid' }), status: 422, error: 'invalid_events' },
	{ name: 'data as an array', body: JSON.stringify({ ...invoicePaid, data: [] }), status: 422, error: 'invalid_events' },
	{ name: 'data as a string', body: JSON.stringify({ ...invoicePaid, data: '{"invoice":{}}' }), status: 422, error: 'invalid_events' },
	{ name: 'id with a newline (header injection)', body: JSON.stringify({ ...invoicePaid, id: 'evt_1\r\nX-Injected: 1' }), status: 422, error: 'invalid_events' },
	{ name: 'id of 10,000 characters', body: JSON.stringify({ ...invoicePaid, id: 'a'.repeat(10_000) }), status: 422, error: 'invalid_events' },
	{ name: 'channel with spaces and slashes', body: JSON.stringify({ ...invoicePaid, channels: ['../../etc passwd'] }), status: 422, error: 'invalid_events' },
	{ name: 'timestamp that is not a date', body: JSON.stringify({ ...invoicePaid, timestamp: '2025-13-45T99:99:99Z' }), status: 422, error: 'invalid_events' },
	{ name: 'amount of 1e400 (Infinity)', body: withData({ ...invoicePaid.data, invoice: { ...(invoicePaid.data.invoice as object), amount: 0 } }).replace('"amount":0', '"amount":1e400'), status: 422, error: 'invalid_events' },
	{ name: 'amount as a string', body: withData({ ...invoicePaid.data, invoice: { ...(invoicePaid.data.invoice as object), amount: '250' } }), status: 422, error: 'invalid_events' },
	{ name: 'five invalid events', body: JSON.stringify(Array.from({ length: 5 }, () => ({ type: 'invoice.paid', data: { invoice: null } }))), status: 422, error: 'invalid_events' },
];

/** A raw POST, so the Content-Length and bytes are exactly what the row says. */
function rawPost(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** The Billing Event Trigger behind a secret header, with small limits, in one validation mode. */
const startTrigger = (validation: 'strict' | 'lenient') =>
	new N8nWebhookHarness({
		nodeType: new BillingEventTrigger(),
		parameters: { authentication: 'secretHeader', respond: 'immediately', validation, triggerOptions: { maxBodySizeMb: 0.06, maxEvents: 5 } },
		credentials: { webhookSecretHeaderApi: { headerName: 'x-webhook-secret', secret, additionalHeaders: {} } },
	}).start();

describe('hostile inputs over HTTP', () => {
	let harness: N8nWebhookHarness;

	beforeAll(async () => {
		harness = await startTrigger('strict');
	});
	afterAll(async () => {
		await harness.stop();
		removeN8nUserFolder();
	});

	test('the table has at least 30 hostile inputs', () => {
		expect(rows.length).toBeGreaterThanOrEqual(30);
	});

	test.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const response = await rawPost(harness.url, Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body, 'utf8'), row.headers ?? json);
		const body = JSON.parse(response.text) as { error: string; message: string };

		expect(response.status).toBe(row.status);
		expect(body.error).toBe(row.error);
		if (row.message !== undefined) expect(body.message).toEqual(row.message instanceof RegExp ? expect.stringMatching(row.message) : row.message);
		expect(response.text).not.toContain(secret);
		expect(harness.executions).toEqual([]);
		expect(harness.webhookErrors).toEqual([]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
	});

	test('after all of them, a good request is still accepted', async () => {
		const response = await rawPost(harness.url, Buffer.from(JSON.stringify(invoicePaid)), json);
		expect(response.status).toBe(202);
		expect(harness.executions).toHaveLength(1);
	});
});

describe('hostile inputs over HTTP, lenient validation', () => {
	let harness: N8nWebhookHarness;
	beforeAll(async () => {
		harness = await startTrigger('lenient');
	});
	afterAll(async () => {
		await harness.stop();
		removeN8nUserFolder();
	});

	test('every request gets the strict answer, except data off its schema: accepted, each event flagged with its issues', async () => {
		const flagged: string[] = [];
		for (const row of rows) {
			const runs = harness.executions.length;
			const response = await rawPost(harness.url, Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body, 'utf8'), row.headers ?? json);
			const body = JSON.parse(response.text) as { error?: string; accepted?: Array<{ schemaIssues?: unknown[] }> };
			expect(response.text).not.toContain(secret);
			expect(Object.prototype).not.toHaveProperty('polluted');
			if (response.status === row.status) {
				expect(body.error).toBe(row.error);
				expect(harness.executions).toHaveLength(runs);
				continue;
			}
			// The only difference lenient may make: a 422 for data becomes a 202 whose every accepted event carries its issues.
			expect({ name: row.name, strict: row.error, lenient: response.status }).toEqual({ name: row.name, strict: 'invalid_events', lenient: 202 });
			expect(body.accepted?.length).toBeGreaterThan(0);
			for (const entry of body.accepted ?? []) expect(entry.schemaIssues?.length).toBeGreaterThan(0);
			expect(harness.executions).toHaveLength(runs + 1);
			flagged.push(row.name);
		}
		expect(flagged.length).toBeGreaterThan(0);
		expect(harness.webhookErrors).toEqual([]);
	});
});
