import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { eventTypesOf, findEventType, sampleEvent, validateEventData, type EventSystem } from '../../../nodes/shared/event/catalog';

/** One request a hostile or broken source might send, and the answer it must get. */
export interface HostileCase {
	name: string;
	method?: string;
	headers: Record<string, string>;
	body?: Buffer | string;
	/** The status the trigger (or n8n in front of it) must answer with. */
	expect: number;
}

interface Signer {
	secret: string;
}

/** Standard Webhooks headers for a body, with the parts a case wants to break. */
export function signedHeaders(signer: Signer, body: Buffer | string, opts: { id?: string; at?: Date; secret?: string } = {}) {
	const id = opts.id ?? `msg_hostile_${Math.random().toString(36).slice(2)}`;
	const at = opts.at ?? new Date();
	const secret = opts.secret ?? signer.secret;
	// The library signs strings (as UTF-8); bytes that are not UTF-8 are signed here the same way, over the raw bytes.
	const signature = Buffer.isBuffer(body)
		? `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64')).update(Buffer.concat([Buffer.from(`${id}.${Math.floor(at.getTime() / 1000)}.`), body])).digest('base64')}`
		: new StandardWebhook(secret).sign(id, at, body);
	return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

const json = { 'content-type': 'application/json' };

/**
 * At least 50 hostile or malformed requests for one trigger. What each must get:
 * 401 when authentication fails (checked first, before the body is looked at), 415 for a body
 * that is not JSON by its type, 400 for one that is not an event or array of events (bad JSON or
 * UTF-8, too deep, prototype keys), 413 above the size or count limits, 422 for events the
 * catalog refuses, 404 from n8n for a method the webhook does not serve.
 */
export function hostileCases(system: EventSystem, signer: Signer, otherSecret: string): HostileCase[] {
	const types = eventTypesOf(system);
	const foreign = eventTypesOf(system === 'billing' ? 'shipping' : 'billing')[0];
	const valid = sampleEvent(types[0]);
	const validBody = JSON.stringify(valid);
	const signed = (name: string, body: Buffer | string, expect: number, headers: Record<string, string> = json): HostileCase => ({
		name,
		headers: { ...headers, ...signedHeaders(signer, body) },
		body,
		expect,
	});
	const cases: HostileCase[] = [
		// Authentication
		{ name: 'no signature', headers: json, body: validBody, expect: 401 },
		{ name: 'signed with another secret', headers: { ...json, ...signedHeaders(signer, validBody, { secret: otherSecret }) }, body: validBody, expect: 401 },
		{ name: 'forged signature', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')}` }, body: validBody, expect: 401 },
		{ name: 'signature over another body', headers: { ...json, ...signedHeaders(signer, '{"x":1}') }, body: validBody, expect: 401 },
		{ name: 'stale timestamp (10 min old)', headers: { ...json, ...signedHeaders(signer, validBody, { at: new Date(Date.now() - 600_000) }) }, body: validBody, expect: 401 },
		{ name: 'future timestamp (10 min ahead)', headers: { ...json, ...signedHeaders(signer, validBody, { at: new Date(Date.now() + 600_000) }) }, body: validBody, expect: 401 },
		{ name: 'malformed signature header', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-signature': 'v1,@@@not-base64@@@' }, body: validBody, expect: 401 },
		{ name: 'unknown signature version only', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-signature': 'v9,abc' }, body: validBody, expect: 401 },
		{ name: 'missing webhook-id', headers: omit({ ...json, ...signedHeaders(signer, validBody) }, 'webhook-id'), body: validBody, expect: 401 },
		{ name: 'missing webhook-timestamp', headers: omit({ ...json, ...signedHeaders(signer, validBody) }, 'webhook-timestamp'), body: validBody, expect: 401 },
		{ name: 'non-numeric timestamp', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-timestamp': 'yesterday' }, body: validBody, expect: 401 },
		{ name: 'empty signature header', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-signature': '' }, body: validBody, expect: 401 },
		{ name: 'signature for a different webhook-id', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-id': 'msg_other' }, body: validBody, expect: 401 },
		{ name: 'huge signature header (8 KB)', headers: { ...json, ...signedHeaders(signer, validBody), 'webhook-signature': `v1,${'A'.repeat(8000)}` }, body: validBody, expect: 401 },
		// Content types
		signed('text/plain', validBody, 415, { 'content-type': 'text/plain' }),
		signed('application/xml', '<event type="x"/>', 415, { 'content-type': 'application/xml' }),
		signed('form-urlencoded', 'type=invoice.created', 415, { 'content-type': 'application/x-www-form-urlencoded' }),
		signed('octet-stream', Buffer.from([0, 1, 2, 3]), 415, { 'content-type': 'application/octet-stream' }),
		signed('JSON in latin1 charset', validBody, 415, { 'content-type': 'application/json; charset=iso-8859-1' }),
		signed('multipart form', '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', 415, { 'content-type': 'multipart/form-data; boundary=x' }),
		// Not JSON, not an event
		signed('invalid JSON', '{"type": "invoice.created", ', 400),
		signed('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400),
		signed('overlong UTF-8 encoding', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), 400),
		signed('lone surrogate bytes', Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), 400),
		signed('empty body', '', 400),
		signed('whitespace body', '   \n ', 400),
		signed('JSON null', 'null', 400),
		signed('JSON number', '42', 400),
		signed('JSON string', '"invoice.created"', 400),
		signed('JSON true', 'true', 400),
		signed('empty array', '[]', 400),
		signed('nested 10,000 levels deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 400),
		signed('object nested 100 levels deep in data', JSON.stringify({ ...valid, data: nest(100) }), 400),
		signed('__proto__ key at the top', `{"__proto__":{"polluted":true},${validBody.slice(1)}`, 400),
		signed('__proto__ key inside data', JSON.stringify({ ...valid, data: { ...(valid.data as object), x: 1 } }).replace('"x":1', '"__proto__":{"isAdmin":true}'), 400),
		signed('constructor key', JSON.stringify({ ...valid, data: { constructor: { prototype: { polluted: true } } } }), 400),
		signed('prototype key in an array item', JSON.stringify([{ ...valid, prototype: 1 }]), 400),
		// Too large
		signed('more events than allowed (1,001)', JSON.stringify(Array.from({ length: 1001 }, () => valid)), 413),
		signed('body over the trigger limit (6 MB)', JSON.stringify({ ...valid, padding: 'x'.repeat(6 * 1024 * 1024) }), 413),
		signed("body over n8n's own limit (17 MB)", JSON.stringify({ ...valid, padding: 'x'.repeat(17 * 1024 * 1024) }), 413),
		// Events the catalog refuses
		signed('unknown event type', JSON.stringify({ ...valid, type: 'nope.nothing' }), 422),
		signed(`other system's event type (${foreign.type})`, JSON.stringify({ ...valid, type: foreign.type }), 422),
		signed('no type', JSON.stringify({ ...valid, type: undefined }), 422),
		signed('type not a string', JSON.stringify({ ...valid, type: 42 }), 422),
		signed('type 10,000 characters long', JSON.stringify({ ...valid, type: 'a'.repeat(10_000) }), 422),
		signed('data not an object', JSON.stringify({ ...valid, data: 'text' }), 422),
		signed('data missing', JSON.stringify({ ...valid, data: undefined }), 422),
		signed('timestamp not a date', JSON.stringify({ ...valid, timestamp: 'soon' }), 422),
		signed('channels not a list', JSON.stringify({ ...valid, channels: 'client_1' }), 422),
		signed('id with control characters', JSON.stringify({ ...valid, id: 'evt_\u0000\u0007' }), 422),
		signed('id 10,000 characters long', JSON.stringify({ ...valid, id: `evt_${'9'.repeat(10_000)}` }), 422),
		signed('array of numbers', '[1, 2, 3]', 422),
		signed('batch where every event is invalid', JSON.stringify([{ ...valid, type: 'x.y' }, { ...valid, data: null }]), 422),
		// Methods the webhook does not serve (n8n answers)
		{ name: 'GET', method: 'GET', headers: {}, expect: 404 },
		{ name: 'PUT', method: 'PUT', headers: json, body: validBody, expect: 404 },
		{ name: 'DELETE', method: 'DELETE', headers: {}, expect: 404 },
	];
	// Every event type of this system with its data emptied: the catalog's schemas say what is missing.
	for (const definition of types.filter((candidate) => validateEventData(candidate, {}).length > 0).slice(0, 12)) {
		cases.push(signed(`${definition.type} with empty data`, JSON.stringify({ ...sampleEvent(definition), data: {} }), 422));
	}
	if (!findEventType(valid.type)) throw new Error('the sample event must be in the catalog');
	return cases;
}

function omit(headers: Record<string, string>, name: string) {
	const copy = { ...headers };
	delete copy[name];
	return copy;
}

function nest(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = { level: value };
	return value;
}
