import { ACTIVITY_STATS, DELIVERY_DETAILS, PAGE_DELIVERIES, READ_REQUEST, READ_RESEND, STORAGE_USAGE } from '../../../starter/activityCode';

/** The Code nodes' source, turned into functions the way n8n's runner gets it: as text. */
const load = <T>(source: string, name: string) => new Function(`${source}\nreturn ${name};`)() as T;
type Request = Record<string, any>;
const readRequest = load<(body: unknown) => Request>(READ_REQUEST, 'readRequest');
const pageDeliveries = load<(rows: unknown[], request: Request) => { total: number; rows: Request[] }>(PAGE_DELIVERIES, 'pageDeliveries');
const activityStats = load<(finished: unknown[], open: unknown[], now: Date) => Request>(ACTIVITY_STATS, 'activityStats');
const deliveryDetails = load<(open: unknown, logged: unknown, event: unknown) => Request>(DELIVERY_DETAILS, 'deliveryDetails');
const readResend = load<(body: unknown) => Request>(READ_RESEND, 'readResend');
const storageUsage = load<(tables: unknown[], settings: Request) => Request>(STORAGE_USAGE, 'storageUsage');

describe('activity API: Read Request', () => {
	it('normalises a deliveries request, with defaults, and says what the table query may narrow by', () => {
		expect(readRequest({ action: 'deliveries', filter: { status: 'failed', resourceId: ' INV-1 ', from: '2026-11-17T00:00:00Z', eventType: '' } })).toEqual({
			action: 'deliveries',
			filter: { status: 'failed', resourceId: 'INV-1', from: '2026-11-17T00:00:00.000Z' },
			narrow: { status: 'failed', eventType: '', endpointName: '' },
			sort: 'createdAt',
			direction: 'desc',
			page: 1,
			pageSize: 25,
		});
	});

	it('never narrows the query by a value with wildcards (the code matches it exactly instead)', () => {
		expect(readRequest({ action: 'deliveries', filter: { endpointName: 'partner%' } }).narrow.endpointName).toBe('');
		expect(readRequest({ action: 'deliveries', filter: { endpointName: 'a[b*' } }).narrow.endpointName).toBe('');
		expect(readRequest({ action: 'deliveries', filter: { endpointName: 'crm_eu' } }).narrow.endpointName).toBe('crm_eu');
	});

	it.each([
		[null, 'The request body must be a JSON object'],
		[[{ action: 'stats' }], 'The request body must be a JSON object'],
		['stats', 'The request body must be a JSON object'],
		[{}, 'action is required'],
		[{ action: 'dropTables' }, 'Unknown action "dropTables"'],
		[{ action: { $ne: 1 } }, 'action must be text'],
		[{ action: 'deliveries', filter: [] }, 'filter must be an object'],
		[{ action: 'deliveries', filter: { status: 'lost' } }, 'filter.status must be pending, sent, retrying, failed or skipped'],
		[{ action: 'deliveries', filter: { resourceId: { $gt: '' } } }, 'filter.resourceId must be text'],
		[{ action: 'deliveries', filter: { from: 'last tuesday' } }, 'filter.from must be a date (ISO 8601)'],
		[{ action: 'deliveries', filter: { from: '2026-11-20T00:00:00Z', to: '2026-11-01T00:00:00Z' } }, 'filter.from is after filter.to'],
		[{ action: 'deliveries', sort: 'payload' }, 'sort must be createdAt, updatedAt or id'],
		[{ action: 'deliveries', direction: 'sideways' }, 'direction must be asc or desc'],
		[{ action: 'deliveries', pageSize: 10_000 }, 'pageSize must be a whole number from 1 to 200'],
		[{ action: 'deliveries', page: 0.5 }, 'page must be a whole number from 1'],
		[{ action: 'delivery' }, 'deliveryId is required'],
		[{ action: 'delivery', deliveryId: 'x'.repeat(500) }, 'deliveryId is longer than 200 characters'],
		[{ action: 'saveEndpoint', endpoint: 'https://example.com' }, 'endpoint must be an object'],
		[{ action: 'saveEndpoint', endpoint: { id: -3, name: 'x' } }, 'endpoint.id must be a row id'],
		[{ action: 'setEndpointActive', id: 3, active: 'yes' }, 'active must be true or false'],
		[{ action: 'setEndpointActive', id: '3 OR 1=1', active: true }, 'id must be a row id (a whole number from 1)'],
		[{ action: 'deleteEndpoint', id: 3 }, 'confirm must be true to delete an endpoint'],
		[{ action: 'deleteEndpoint', id: true, confirm: true }, 'id must be a row id (a whole number from 1)'],
		[{ action: 'deleteEndpoint', id: [5], confirm: true }, 'id must be a row id (a whole number from 1)'],
		[{ action: 'deleteEndpoint', id: '0x10', confirm: true }, 'id must be a row id (a whole number from 1)'],
		[{ action: 'saveEndpoint', endpoint: { id: 7, name: 'a', url: 'https://x' } }, 'an update must give every field; missing: eventTypes, channels, active, authentication'],
		[{ action: 'deleteEndpoint', id: 3, confirm: 'true' }, 'confirm must be true to delete an endpoint'],
	])('answers %p with a 400: %s', (body, error) => {
		expect(readRequest(body)).toEqual({ action: 'invalid', status: 400, error });
	});

	it('keeps only the endpoint columns of a saved row (no id games, no prototype keys)', () => {
		const body = JSON.parse(
			'{"action":"saveEndpoint","endpoint":{"id":"7","name":"a","url":"https://x","eventTypes":"*","channels":"","active":false,"authentication":"none","createdAt":"2000","__proto__":{"admin":true},"disabledReason":"x"}}',
		);
		expect(readRequest(body)).toEqual({ action: 'saveEndpoint', id: 7, endpoint: { name: 'a', url: 'https://x', eventTypes: '*', channels: '', active: false, authentication: 'none' }, secrets: '', rotateSigningSecret: false });
		expect(readRequest({ action: 'saveEndpoint', endpoint: { name: 'new' } })).toEqual({ action: 'saveEndpoint', id: 0, endpoint: { name: 'new' }, secrets: '', rotateSigningSecret: false });
	});

	it('passes the simple actions through', () => {
		for (const action of ['stats', 'endpoints', 'catalog']) expect(readRequest({ action })).toEqual({ action });
		expect(readRequest({ action: 'setEndpointActive', id: '12', active: false })).toEqual({ action: 'setEndpointActive', id: 12, active: false });
		expect(readRequest({ action: 'deleteEndpoint', id: 12, confirm: true })).toEqual({ action: 'deleteEndpoint', id: 12 });
	});
});

describe('activity API: Page Deliveries', () => {
	const row = (id: number, fields: Request) => ({
		id,
		createdAt: `2026-11-2${id % 10}T10:00:00.000Z`,
		updatedAt: `2026-11-25T0${id % 10}:00:00.000Z`,
		deliveryId: `dlv_${id}`,
		status: 'sent',
		eventType: 'invoice.paid',
		endpointName: 'crm',
		resourceId: null,
		payload: '{"big":true}',
		responseBody: 'ok',
		...fields,
	});
	const rows = [row(1, { resourceId: 'INV-1' }), row(2, { status: 'failed', resourceId: 'INV-1' }), row(3, { endpointName: 'crm-eu', resourceId: 'INV-10' }), row(4, {}), {}];
	const request = (extra: Request) => readRequest({ action: 'deliveries', ...extra });

	it('matches exactly what the table query only narrowed ("crm" is not "crm-eu", INV-1 is not INV-10)', () => {
		const page = pageDeliveries(rows, request({ filter: { endpointName: 'crm', resourceId: 'INV-1' } }));
		expect(page.total).toBe(2);
		expect(page.rows.map((r) => r.deliveryId)).toEqual(['dlv_2', 'dlv_1']);
	});

	it('sorts by created, updated or id, both ways, and cuts pages', () => {
		expect(pageDeliveries(rows, request({ sort: 'id', direction: 'asc' })).rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
		expect(pageDeliveries(rows, request({ sort: 'updatedAt' })).rows.map((r) => r.id)).toEqual([4, 3, 2, 1]);
		const second = pageDeliveries(rows, request({ sort: 'id', direction: 'asc', page: 2, pageSize: 3 }));
		expect({ total: second.total, ids: second.rows.map((r) => r.id) }).toEqual({ total: 4, ids: [4] });
	});

	it('leaves payloads and response bodies out of the list', () => {
		const [first] = pageDeliveries(rows, request({})).rows;
		expect(first).not.toHaveProperty('payload');
		expect(first).not.toHaveProperty('responseBody');
		expect(first).toMatchObject({ deliveryId: 'dlv_4', resourceId: null });
	});

	it('filters by date range on the creation time', () => {
		const page = pageDeliveries(rows, request({ filter: { from: '2026-11-22T00:00:00Z', to: '2026-11-23T23:59:59Z' } }));
		expect(page.rows.map((r) => r.id)).toEqual([3, 2]);
	});
});

describe('activity API: deliveries in flight and finished', () => {
	it('lists a delivery once when it is in both the outbox and the log, as its log row', () => {
		const open = { id: 1, deliveryId: 'dlv_a', status: 'retrying', createdAt: '2026-11-25T10:00:00.000Z' };
		const logged = { id: 9, deliveryId: 'dlv_a', status: 'sent', createdAt: '2026-11-25T10:00:05.000Z' };
		const other = { id: 2, deliveryId: 'dlv_b', status: 'pending', createdAt: '2026-11-25T10:00:01.000Z' };
		const page = pageDeliveries([open, other, logged], readRequest({ action: 'deliveries' }));
		expect(page.total).toBe(2);
		expect(page.rows.map((row) => [row.deliveryId, row.status])).toEqual([
			['dlv_a', 'sent'],
			['dlv_b', 'pending'],
		]);
	});
});

describe('activity API: Count', () => {
	it('counts finished deliveries by when they were logged, and the open ones as they are now', () => {
		const now = new Date('2026-11-25T12:00:00.000Z');
		const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
		const stats = activityStats(
			[
				{ status: 'sent', createdAt: at(5) },
				{ status: 'sent', createdAt: at(120) },
				{ status: 'failed', createdAt: at(60 * 23) },
				{ status: 'failed', createdAt: at(60 * 25) },
				{ status: 'retrying', createdAt: at(1) },
				{ status: 'constructor', createdAt: at(1) },
				{},
			],
			[{ status: 'retrying' }, { status: 'pending' }, { status: 'sent' }, null],
			now,
		);
		expect(stats).toEqual({
			lastHour: { sent: 1, retrying: 1, failed: 0, pending: 1 },
			lastDay: { sent: 2, retrying: 1, failed: 1, pending: 1 },
			generatedAt: now.toISOString(),
		});
	});
});

describe('activity API: Delivery Details', () => {
	it('shows the open row before the log row, the body from its event, and its attempts, without the claim', () => {
		const open = { id: 3, deliveryId: 'dlv_1', eventRow: 8, status: 'retrying', attempts: 2, claim: 'x', version: 4, attemptLog: JSON.stringify([{ n: 1, at: 'a', code: 500, ms: 3 }, { n: 2, at: 'b', code: null, ms: 9, error: 'reset', by: 'm' }]) };
		const details = deliveryDetails(open, {}, { id: 8, payload: '{"id":"evt_1"}' });
		expect(details.status).toBe(200);
		expect(details.body.delivery).toMatchObject({ deliveryId: 'dlv_1', status: 'retrying', payload: '{"id":"evt_1"}' });
		expect(details.body.delivery).not.toHaveProperty('claim');
		expect(details.body.attempts).toEqual([
			{ attempt: 1, attemptedAt: 'a', responseCode: 500, durationMs: 3, error: null, trigger: 'scheduled' },
			{ attempt: 2, attemptedAt: 'b', responseCode: null, durationMs: 9, error: 'reset', trigger: 'manual' },
		]);
	});

	it('gives a one-attempt log row its attempt from the row, a legacy row its own payload, and 404 when nothing matches', () => {
		const logged = { id: 5, deliveryId: 'dlv_2', status: 'sent', attempts: 1, lastAttemptAt: 't', responseCode: 204, durationMs: 12, attemptLog: '', payload: '{"legacy":true}' };
		const details = deliveryDetails({}, logged, {});
		expect(details.body.attempts).toEqual([{ attempt: 1, attemptedAt: 't', responseCode: 204, durationMs: 12, error: null, trigger: 'scheduled' }]);
		expect(details.body.delivery.payload).toBe('{"legacy":true}');
		expect(deliveryDetails({}, {}, {})).toEqual({ status: 404, body: { error: 'No delivery with this id' } });
	});

	it("shows the event's schema issues (lenient validation), none for another event's row or a broken cell", () => {
		const logged = { id: 5, deliveryId: 'dlv_3', eventRow: 9, status: 'sent', attempts: 1, lastAttemptAt: 't', responseCode: 200, durationMs: 3, attemptLog: '' };
		const issues = [{ path: 'data.order.orderNumber', message: 'Required' }];
		expect(deliveryDetails({}, logged, { id: 9, payload: '{}', schemaIssues: JSON.stringify(issues) }).body.schemaIssues).toEqual(issues);
		expect(deliveryDetails({}, logged, { id: 10, payload: '{}', schemaIssues: JSON.stringify(issues) }).body.schemaIssues).toEqual([]);
		expect(deliveryDetails({}, logged, { id: 9, payload: '{}', schemaIssues: '{not json' }).body.schemaIssues).toEqual([]);
		expect(deliveryDetails({}, logged, { id: 9, payload: '{}', schemaIssues: '{"path":"x"}' }).body.schemaIssues).toEqual([]);
	});
});

describe('resend request', () => {
	it('normalises a filter, caps the limit at 1,000 and defaults it to 100', () => {
		expect(readResend({ status: 'failed', endpointName: ' crm ', from: '2026-11-17T00:00:00Z' })).toEqual({
			ok: true,
			deliveryId: '',
			filter: { status: 'failed', endpointName: 'crm', from: '2026-11-17T00:00:00.000Z' },
			narrow: { deliveryId: '', status: 'failed', eventType: '', endpointName: 'crm' },
			limit: 100,
		});
		expect(readResend({ deliveryId: 'dlv_1', limit: 1000 })).toMatchObject({ ok: true, deliveryId: 'dlv_1', limit: 1000 });
	});

	it.each([
		[null, 'The request body must be a JSON object'],
		[[1], 'The request body must be a JSON object'],
		[{ limit: 1001 }, 'limit must be a whole number from 1 to 1000'],
		[{ limit: '5; drop' }, 'limit must be a whole number from 1 to 1000'],
		[{ status: 'skipped' }, 'status must be sent, failed, retrying or pending'],
		[{ deliveryId: { $ne: 1 } }, 'deliveryId must be text'],
		[{ from: 'yesterday' }, 'from must be a date (ISO 8601)'],
		[{ eventType: 'x'.repeat(501) }, 'eventType is longer than 500 characters'],
	])('refuses %j: %s', (body, error) => {
		expect(readResend(body)).toEqual({ ok: false, status: 400, error });
	});

	it('never narrows the query by a value with wildcards', () => {
		expect(readResend({ endpointName: 'a%' }).narrow.endpointName).toBe('');
	});
});

describe('storage usage', () => {
	it('adds up every table against the limit and says when to trim and warn', () => {
		const usage = storageUsage([{ name: 'webhook_events', sizeBytes: 150 }, { name: 'other', sizeBytes: '60' }, { name: 7 }, null], { limitBytes: 250, trimAbovePercent: 70, warnAbovePercent: 80 });
		expect(usage).toEqual({ known: true, usedBytes: 210, limitBytes: 250, percent: 84, trim: true, warn: true, tables: [{ name: 'webhook_events', sizeBytes: 150 }, { name: 'other', sizeBytes: 60 }] });
		expect(storageUsage([{ name: 'a', sizeBytes: 10 }], { limitBytes: 100, trimAbovePercent: 70, warnAbovePercent: 80 })).toMatchObject({ percent: 10, trim: false, warn: false });
		// n8n's API gave no list (no credential, or an error): unknown, and nothing is trimmed.
		expect(storageUsage(undefined as never, { limitBytes: 100 })).toMatchObject({ known: false, trim: false, warn: false });
	});
});
