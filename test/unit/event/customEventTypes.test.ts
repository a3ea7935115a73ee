import { findEventType } from '../../../nodes/shared/event/catalog';
import { customEventTypesFrom, labelOf, MAX_CUSTOM_EVENT_TYPES } from '../../../nodes/shared/event/custom';
import { clearCustomTypesCache, customCatalogFromTable, CUSTOM_TYPES_CACHE_MS, CUSTOM_TYPES_RETRY_MS, type ApiGet } from '../../../nodes/shared/storage/eventTypesTable';
import { checkEndpoint } from '../../../nodes/shared/delivery/endpointCheck';
import { receiveEvents } from '../../../nodes/shared/inbound/receive';
import { invoiceOverdueRow, invoiceOverdueSample } from '../../helpers/customEventTypes';
import { billingSettings, eventOf, json, jsonHeaders } from '../inbound/helpers';

const isBuiltIn = (type: string) => findEventType(type) !== undefined;
const read = (rows: unknown) => customEventTypesFrom(rows, isBuiltIn);
const now = new Date('2025-03-04T12:00:00.000Z');
const overdue = (data: unknown = invoiceOverdueSample, id = 'evt_overdue_1') => ({ id, type: 'invoice.overdue', timestamp: now.toISOString(), data });

describe('custom event types from webhook_event_types rows', () => {
	test('a good row becomes a definition like the built-in ones; table columns such as id are ignored', () => {
		const catalog = read([{ id: 1, createdAt: '2025-01-01', updatedAt: '2025-01-01', ...invoiceOverdueRow }]);
		expect(catalog.problems).toEqual([]);
		expect(catalog.definitions).toHaveLength(1);
		const [definition] = catalog.definitions;
		expect(definition).toMatchObject({ type: 'invoice.overdue', label: 'Invoice Overdue', system: 'billing', sample: invoiceOverdueSample });
		expect(definition.schema.safeParse(invoiceOverdueSample).success).toBe(true);
		expect(labelOf('shipment.customs_hold')).toBe('Shipment Customs Hold');
	});

	test('no schema accepts any object; an empty table (one empty item) or nothing gives no types', () => {
		const catalog = read({ ...invoiceOverdueRow, schema: '' });
		expect(catalog.definitions[0].schema.safeParse({ anything: 1 }).success).toBe(true);
		expect(catalog.definitions[0].schema.safeParse([1]).success).toBe(false);
		expect(read([{}])).toEqual({ definitions: [], problems: [] });
		expect(read(undefined)).toEqual({ definitions: [], problems: [] });
	});

	test.each([
		['no eventType', { ...invoiceOverdueRow, eventType: '' }, /eventType is required/],
		['an eventType that is not one', { ...invoiceOverdueRow, eventType: 'Invoice Overdue' }, /must look like "invoice.overdue"/],
		['a built-in name (cannot be redefined)', { ...invoiceOverdueRow, eventType: 'invoice.paid' }, /is a built-in event type/],
		['an unknown system', { ...invoiceOverdueRow, system: 'crm' }, /system must be "billing" or "shipping"/],
		['no sample', { ...invoiceOverdueRow, sample: '' }, /sample is required/],
		['a sample that is not JSON', { ...invoiceOverdueRow, sample: '{oops' }, /sample: the sample is not valid JSON/],
		['a sample that is an array', { ...invoiceOverdueRow, sample: '[1]' }, /sample must be a JSON object/],
		['a sample with __proto__', { ...invoiceOverdueRow, sample: '{"__proto__": {"polluted": true}}' }, /__proto__/],
		['a sample that does not match the schema', { ...invoiceOverdueRow, sample: '{"invoice": {"id": "x"}}' }, /sample does not match the schema: data.invoice.dueDate is required/],
		['a schema with a remote $ref', { ...invoiceOverdueRow, schema: '{"$ref": "https://evil.example/s.json"}' }, /schema: .*is not followed/],
		['a schema that is not JSON', { ...invoiceOverdueRow, schema: 'type: object' }, /schema: the schema is not valid JSON/],
		['a description that is not text', { ...invoiceOverdueRow, description: 42 }, /description must be text/],
		['a row that is not an object', 'invoice.overdue', /a row must be an object/],
	])('%s: the row is left out with its reason', (_name, row, reason) => {
		const catalog = read([row]);
		expect(catalog.definitions).toEqual([]);
		expect(catalog.problems).toHaveLength(1);
		expect(catalog.problems[0].row).toBe(1);
		expect(catalog.problems[0].error).toMatch(reason);
	});

	test('the same type twice: the first row counts, the second is reported; bad rows do not stop good ones', () => {
		const catalog = read([invoiceOverdueRow, { ...invoiceOverdueRow, description: 'again' }, { eventType: 'x' }, { ...invoiceOverdueRow, eventType: 'shipment.customs_hold', system: 'Shipping', schema: null }]);
		expect(catalog.definitions.map((definition) => `${definition.type}/${definition.system}`)).toEqual(['invoice.overdue/billing', 'shipment.customs_hold/shipping']);
		expect(catalog.problems.map((problem) => problem.row)).toEqual([2, 3]);
		expect(catalog.problems[0].error).toMatch(/listed twice/);
	});

	test(`at most ${MAX_CUSTOM_EVENT_TYPES} rows are read, and the cut is reported`, () => {
		const rows = Array.from({ length: MAX_CUSTOM_EVENT_TYPES + 5 }, (_, i) => ({ ...invoiceOverdueRow, eventType: `custom.type_${i}`, schema: '' }));
		const catalog = read(rows);
		expect(catalog.definitions).toHaveLength(MAX_CUSTOM_EVENT_TYPES);
		expect(catalog.problems).toEqual([{ row: MAX_CUSTOM_EVENT_TYPES + 1, error: `only the first ${MAX_CUSTOM_EVENT_TYPES} custom event types are read` }]);
	});
});

describe('a trigger with custom event types and a validation mode', () => {
	const customEventTypes = read([invoiceOverdueRow]).definitions;
	const receive = (body: unknown, changes: Parameters<typeof billingSettings>[0] = {}) =>
		receiveEvents({ headers: jsonHeaders, rawBody: json(body) }, billingSettings({ customEventTypes, ...changes }), now);

	test('a custom event is accepted like a built-in one', () => {
		const result = receive(overdue());
		expect(result.statusCode).toBe(202);
		expect(result.events).toEqual([overdue()]);
		expect(result.unknownTypes).toBe(0);
	});

	test('the result counts types it does not know, so the trigger reads the custom types only then', () => {
		expect(receive([overdue(), eventOf('invoice.paid')], { customEventTypes: [] }).unknownTypes).toBe(1);
		expect(receive(eventOf('invoice.paid'), { customEventTypes: [] }).unknownTypes).toBe(0);
	});

	test('without the custom types it is an unknown type (422); on the other system too', () => {
		expect(receive(overdue(), { customEventTypes: [] }).statusCode).toBe(422);
		const shipping = receive(overdue(), { system: 'shipping' });
		expect(shipping.statusCode).toBe(422);
		expect(shipping.body.rejected?.[0].issues[0].message).toBe('"invoice.overdue" is not a shipping event type of the catalog');
	});

	test('strict: data off the schema is refused with 422 and each issue', () => {
		const result = receive(overdue({ invoice: { id: 'x', balance: -1 } }), { validation: 'strict' });
		expect(result.statusCode).toBe(422);
		expect(result.body.rejected?.[0].issues).toEqual([
			{ path: 'data.invoice.dueDate', message: 'is required' },
			{ path: 'data.invoice.currencyIsoCode', message: 'is required' },
			{ path: 'data.invoice.balance', message: 'must be more than 0' },
		]);
	});

	test('lenient: the same event is accepted, its issues on the event and in the receipt', () => {
		const result = receive(overdue({ invoice: { id: 'x', balance: -1 } }), { validation: 'lenient' });
		expect(result.statusCode).toBe(202);
		const issues = [
			{ path: 'data.invoice.dueDate', message: 'is required' },
			{ path: 'data.invoice.currencyIsoCode', message: 'is required' },
			{ path: 'data.invoice.balance', message: 'must be more than 0' },
		];
		expect(result.events[0].schemaIssues).toEqual(issues);
		expect(result.body.accepted).toEqual([{ index: 0, id: 'evt_overdue_1', type: 'invoice.overdue', schemaIssues: issues }]);
	});

	test('lenient with a built-in type: order.activated missing two fields is accepted and flagged; a valid one carries no schemaIssues', () => {
		const event = eventOf('order.activated', { id: 'evt_nue_1' });
		const order = event.data.order as Record<string, unknown>;
		delete order.orderNumber;
		delete order.customerId;
		const result = receive([event, eventOf('order.activated', { id: 'evt_nue_2' })], { validation: 'lenient' });
		expect(result.statusCode).toBe(202);
		expect(result.events[0].schemaIssues?.map((issue) => issue.path)).toEqual(['data.order.orderNumber', 'data.order.customerId']);
		expect(result.events[1]).not.toHaveProperty('schemaIssues');
	});

	test('lenient still refuses what cannot be routed: a bad envelope or an unknown type', () => {
		const result = receive([{ type: 'NOT A TYPE', data: {} }, { ...overdue(), type: 'invoice.unheard_of' }, { ...overdue(), data: 'text' }], { validation: 'lenient' });
		expect(result.statusCode).toBe(422);
		expect(result.body.rejected).toHaveLength(3);
	});

	test('custom types that could not be read: an event of a type not built in gets 503 (retry), built-in ones are still accepted', () => {
		const unavailable = { customEventTypes: [], customEventTypesUnavailable: "n8n's API answered HTTP 500" };
		const refused = receive(overdue(), unavailable);
		expect(refused.statusCode).toBe(503);
		expect(refused.body).toEqual({ error: 'unavailable', message: expect.stringContaining('post again shortly') });
		expect(receive(eventOf('invoice.paid'), unavailable).statusCode).toBe(202);
	});
});

describe('reading the table through n8n API (cache and failures)', () => {
	beforeEach(() => clearCustomTypesCache());
	const tables = { data: [{ id: 'other', name: 'webhook_event_types_old' }, { id: 'tbl1', name: 'webhook_event_types' }] };
	function api(pages: unknown[][], fail = false) {
		const calls: string[] = [];
		const get: ApiGet = async (path, query) => {
			calls.push(`${path}?${new URLSearchParams(query as Record<string, string>).toString()}`);
			if (fail) throw Object.assign(new Error('down'), { httpCode: '500' });
			if (path === '/data-tables') return tables;
			const index = query.cursor ? Number(query.cursor) : 0;
			return { data: pages[index], nextCursor: index + 1 < pages.length ? String(index + 1) : null };
		};
		return { get, calls };
	}

	test('finds the table by its exact name, follows the pages, and caches for 30 s', async () => {
		const { get, calls } = api([[invoiceOverdueRow], [{ ...invoiceOverdueRow, eventType: 'invoice.reminded' }]]);
		const first = await customCatalogFromTable(get, 'k', isBuiltIn, 1_000);
		expect(first.definitions.map((definition) => definition.type)).toEqual(['invoice.overdue', 'invoice.reminded']);
		expect(calls).toHaveLength(3);
		expect(calls[1]).toMatch(/^\/data-tables\/tbl1\/rows\?/);
		await customCatalogFromTable(get, 'k', isBuiltIn, 1_000 + CUSTOM_TYPES_CACHE_MS - 1);
		expect(calls).toHaveLength(3);
		await customCatalogFromTable(get, 'k', isBuiltIn, 1_000 + CUSTOM_TYPES_CACHE_MS);
		expect(calls).toHaveLength(6);
	});

	test('no table: no custom types; n8n API down: the last good read serves, or the error says so', async () => {
		const none: ApiGet = async () => ({ data: [] });
		expect((await customCatalogFromTable(none, 'a', isBuiltIn, 0)).definitions).toEqual([]);
		await expect(customCatalogFromTable(api([], true).get, 'b', isBuiltIn, 0)).rejects.toThrow('down');
		await customCatalogFromTable(api([[invoiceOverdueRow]]).get, 'c', isBuiltIn, 0);
		const stale = await customCatalogFromTable(api([], true).get, 'c', isBuiltIn, CUSTOM_TYPES_CACHE_MS + 1);
		expect(stale.definitions.map((definition) => definition.type)).toEqual(['invoice.overdue']);
	});

	test('after a failed read, requests for a few seconds get the same answer without calling n8n again', async () => {
		const down = api([], true);
		await expect(customCatalogFromTable(down.get, 'e', isBuiltIn, 0)).rejects.toThrow('down');
		await expect(customCatalogFromTable(down.get, 'e', isBuiltIn, CUSTOM_TYPES_RETRY_MS - 1)).rejects.toThrow('down');
		expect(down.calls).toHaveLength(1);
		const up = api([[invoiceOverdueRow]]);
		expect((await customCatalogFromTable(up.get, 'e', isBuiltIn, CUSTOM_TYPES_RETRY_MS)).definitions).toHaveLength(1);
	});

	test('requests arriving together share one read', async () => {
		const { get, calls } = api([[invoiceOverdueRow]]);
		await Promise.all([customCatalogFromTable(get, 'f', isBuiltIn, 0), customCatalogFromTable(get, 'f', isBuiltIn, 0), customCatalogFromTable(get, 'f', isBuiltIn, 0)]);
		expect(calls).toHaveLength(2);
	});

	test('a table id that is not one is not put into a URL', async () => {
		const get: ApiGet = async (path) => (path === '/data-tables' ? { data: [{ id: '../../workflows', name: 'webhook_event_types' }] } : { data: [] });
		await expect(customCatalogFromTable(get, 'd', isBuiltIn, 0)).rejects.toThrow(/not one/);
	});
});

describe('the check operation knows custom types when given them', () => {
	const policy = { blockPrivateAddresses: true, requireHttps: false, allowedHosts: [] };
	const endpoint = { name: 'ar', url: 'https://ar.example/hook', eventTypes: 'invoice.overdue, invoice.paid' };
	test('refused without, accepted with the custom type', () => {
		expect(checkEndpoint(endpoint, policy)).toMatchObject({ valid: false, errors: ['eventTypes: "invoice.overdue" is not an event type of the catalog'] });
		expect(checkEndpoint(endpoint, policy, ['invoice.overdue'])).toMatchObject({ valid: true, endpoint: { eventTypes: 'invoice.overdue, invoice.paid' } });
	});
});
