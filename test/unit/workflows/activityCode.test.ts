import { ACTIVITY_STATS, PAGE_DELIVERIES, READ_REQUEST } from '../../../scripts/workflows/activityCode';

/** The Code nodes' source, turned into functions the way n8n's runner gets it: as text. */
const load = <T>(source: string, name: string) => new Function(`${source}\nreturn ${name};`)() as T;
type Request = Record<string, any>;
const readRequest = load<(body: unknown) => Request>(READ_REQUEST, 'readRequest');
const pageDeliveries = load<(rows: unknown[], request: Request) => { total: number; rows: Request[] }>(PAGE_DELIVERIES, 'pageDeliveries');
const activityStats = load<(rows: unknown[], now: Date) => Request>(ACTIVITY_STATS, 'activityStats');

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
		expect(readRequest(body)).toEqual({ action: 'saveEndpoint', id: 7, endpoint: { name: 'a', url: 'https://x', eventTypes: '*', channels: '', active: false, authentication: 'none' } });
		expect(readRequest({ action: 'saveEndpoint', endpoint: { name: 'new' } })).toEqual({ action: 'saveEndpoint', id: 0, endpoint: { name: 'new' } });
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

describe('activity API: Count', () => {
	it('counts deliveries by status, by their latest change, in the last hour and day', () => {
		const now = new Date('2026-11-25T12:00:00.000Z');
		const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
		const stats = activityStats(
			[
				{ status: 'sent', updatedAt: at(5) },
				{ status: 'sent', updatedAt: at(120) },
				{ status: 'retrying', updatedAt: at(30) },
				{ status: 'failed', updatedAt: at(60 * 23) },
				{ status: 'failed', updatedAt: at(60 * 25) },
				{ status: 'skipped', updatedAt: at(1) },
				{ status: 'constructor', updatedAt: at(1) },
				{},
			],
			now,
		);
		expect(stats).toEqual({
			lastHour: { sent: 1, retrying: 1, failed: 0, pending: 0 },
			lastDay: { sent: 2, retrying: 1, failed: 1, pending: 0 },
			generatedAt: now.toISOString(),
		});
	});
});
