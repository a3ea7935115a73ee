import { READ_REQUEST } from '../../../starter/activityCode';
import { ACTIVITY_WINDOW, ENDPOINT_ACTIVITY, TEST_EVENT, TEST_LOG_ROW } from '../../../starter/activityHealth';

/** The Code nodes' source, turned into functions the way n8n's runner gets it: as text. */
const load = <T>(source: string, name: string) => new Function(`${source}\nreturn ${name};`)() as T;
type Json = Record<string, any>;
const endpointActivity = load<(log: unknown, open: unknown, now: Date) => Json>(ENDPOINT_ACTIVITY, 'endpointActivity');
const activityWindow = load<(hint: unknown, now: Date) => Json>(ACTIVITY_WINDOW, 'activityWindow');
const testEvent = load<(request: Json, endpoint: unknown, catalog: unknown, now: Date, random: string) => Json>(TEST_EVENT, 'testEvent');
const testLogRow = load<(result: Json, endpoint: Json, eventRow: unknown) => Json>(TEST_LOG_ROW, 'testLogRow');
const readRequest = load<(body: unknown) => Json>(READ_REQUEST, 'readRequest');

const NOW = new Date('2026-12-04T15:20:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
let nextId = 1;
const logRow = (minutesAgo: number, status: 'sent' | 'failed', extra: Json = {}) => ({
	id: nextId++,
	createdAt: ago(minutesAgo),
	lastAttemptAt: ago(minutesAgo),
	endpointId: 1,
	endpointName: 'erp',
	status,
	responseCode: status === 'sent' ? 200 : 500,
	...extra,
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('activity chart: deliveries per hour by status', () => {
	it('puts each delivery in the hour it was logged, the current hour last, over 24 hours and 168', () => {
		const rows = [logRow(5, 'sent'), logRow(15, 'sent'), logRow(19, 'failed'), logRow(21, 'sent'), logRow(60 * 5 + 10, 'failed'), logRow(60 * 30, 'sent')];
		const { overall } = endpointActivity(rows, [], NOW);
		expect(overall.day.hours).toBe(24);
		expect(overall.week.hours).toBe(168);
		// The current hour starts at 15:00: 15:05, 15:01 and 15:00:xx are in it; 14:59 is the hour before.
		expect(overall.day.from).toBe('2026-12-03T16:00:00.000Z');
		expect(overall.day.sent[23]).toBe(2);
		expect(overall.day.failed[23]).toBe(1);
		expect(overall.day.sent[22]).toBe(1);
		// 5 h 10 min ago is 10:10, the hour starting 10:00: five hours before the last bucket.
		expect(overall.day.failed[18]).toBe(1);
		// 30 hours ago is outside the day, inside the week.
		expect(sum(overall.day.sent) + sum(overall.day.failed)).toBe(5);
		expect(sum(overall.week.sent)).toBe(4);
		expect(overall.week.sent[167 - 30]).toBe(1);
		expect(overall.week.from).toBe('2026-11-27T16:00:00.000Z');
	});

	it('counts nothing older than 7 days or logged in a later hour (a clock ahead), and skips rows that are not sent or failed', () => {
		const rows = [logRow(60 * 24 * 7 + 30, 'sent'), logRow(-90, 'sent'), { ...logRow(1, 'sent'), status: 'retrying' }, null, { ...logRow(2, 'sent'), createdAt: 'not a date' }];
		const { overall } = endpointActivity(rows, [], NOW);
		expect([overall.sent, overall.failed, sum(overall.week.sent), sum(overall.day.sent)]).toEqual([0, 0, 0, 0]);
		expect(overall.successRate).toBeNull();
	});

	it('splits by endpoint (by id, or by name for rows without one) with success rate, last response and last success', () => {
		const rows = [
			logRow(200, 'sent', { endpointId: 1 }),
			logRow(100, 'failed', { endpointId: 1, responseCode: 503 }),
			logRow(50, 'sent', { endpointId: 1 }),
			logRow(40, 'failed', { endpointId: 1, responseCode: 500 }),
			logRow(30, 'sent', { endpointId: 2, endpointName: 'dwh' }),
			logRow(10, 'failed', { endpointId: null, endpointName: 'legacy', responseCode: null }),
		];
		const { overall, endpoints } = endpointActivity(rows, [], NOW);
		const byKey = Object.fromEntries(endpoints.map((entry: Json) => [entry.key, entry]));
		expect(Object.keys(byKey).sort()).toEqual(['id:1', 'id:2', 'name:legacy']);
		expect(byKey['id:1']).toMatchObject({ endpointId: 1, sent: 2, failed: 2, successRate: 50, lastResponse: { code: 500, status: 'failed', at: ago(40) }, lastSuccessAt: ago(50) });
		expect(byKey['id:2']).toMatchObject({ sent: 1, failed: 0, successRate: 100, lastSuccessAt: ago(30) });
		expect(byKey['name:legacy']).toMatchObject({ endpointId: null, endpointName: 'legacy', successRate: 0, lastSuccessAt: null, lastResponse: { code: null } });
		expect(overall).toMatchObject({ sent: 3, failed: 3, successRate: 50, lastResponse: { code: null, at: ago(10) }, lastSuccessAt: ago(30) });
		expect(byKey['id:1'].day.failed[23 - 1]).toBe(1);
	});

	it('leaves test deliveries out of the counts, the chart and health, and counts them apart', () => {
		const rows = [logRow(50, 'sent'), logRow(20, 'failed', { test: true, responseCode: 418 }), logRow(10, 'sent', { test: true, responseCode: 204 })];
		const { overall, endpoints } = endpointActivity(rows, [], NOW);
		const [erp] = endpoints;
		for (const entry of [overall, erp]) {
			expect(entry).toMatchObject({ sent: 1, failed: 0, tests: 2, successRate: 100, lastResponse: { code: 200, at: ago(50) }, lastSuccessAt: ago(50) });
			expect(sum(entry.day.sent) + sum(entry.day.failed)).toBe(1);
		}
		expect(erp.lastTest).toEqual({ code: 204, status: 'sent', at: ago(10) });
	});

	it('counts the deliveries open now from the outbox, and takes their last attempt as the last response', () => {
		const open = [
			{ endpointId: 1, endpointName: 'erp', status: 'retrying', responseCode: 502, lastAttemptAt: ago(3) },
			{ endpointId: 1, endpointName: 'erp', status: 'pending', responseCode: null, lastAttemptAt: null },
			{ endpointId: 1, status: 'sent' },
		];
		const { overall, endpoints } = endpointActivity([logRow(30, 'sent')], open, NOW);
		expect(endpoints[0]).toMatchObject({ open: 2, sent: 1, lastResponse: { code: 502, status: 'retrying', at: ago(3) }, lastSuccessAt: ago(30) });
		expect(overall.open).toBe(2);
	});

	it('stays linear on a large window (prints the time for 200,000 rows)', () => {
		const rows = Array.from({ length: 200_000 }, (_, i) => logRow(i % (60 * 24 * 6), i % 10 === 0 ? 'failed' : 'sent', { endpointId: (i % 50) + 1 }));
		const started = process.hrtime.bigint();
		const { overall, endpoints } = endpointActivity(rows, [], NOW);
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		process.stdout.write(`activity aggregation: rows=200000 endpoints=50 ms=${ms.toFixed(0)}\n`);
		expect(endpoints).toHaveLength(50);
		expect(overall.sent + overall.failed).toBe(200_000);
		expect(overall.successRate).toBe(90);
	});
});

describe('activity window: the id range the chart reads', () => {
	it('starts from the id found last time, or from the beginning', () => {
		expect(activityWindow({ activityFromId: 4711 }, NOW)).toEqual({ fromId: 4711, since: '2026-11-27T15:20:00.000Z' });
		for (const hint of [undefined, {}, { activityFromId: 'x' }, { activityFromId: -3 }, { activityFromId: 1.5 }]) expect(activityWindow(hint, NOW).fromId).toBe(0);
	});
});

describe('test event', () => {
	const sample = { type: 'invoice.activated', sample: { id: 'evt_sample', type: 'invoice.activated', timestamp: '2025-01-01T00:00:00.000Z', resourceId: 'INV-1', data: { invoice: { id: 'INV-1' } } } };
	const endpoint = { id: 3, name: 'erp', url: 'https://erp.example/hook', active: true, eventTypes: 'order.created', channels: 'client_1', authentication: 'none', createdAt: 'x', updatedAt: 'y' };

	it('is the catalog sample with its own id and time, to the endpoint whatever it subscribes to', () => {
		const plan = testEvent({ id: 3, eventType: 'invoice.activated' }, endpoint, sample, NOW, 'abc');
		expect(plan).toEqual({
			ok: true,
			event: { ...sample.sample, id: 'evt_test_abc', timestamp: NOW.toISOString() },
			endpoint: { id: 3, name: 'erp', url: 'https://erp.example/hook', active: true, eventTypes: '*', channels: '', authentication: 'none' },
		});
	});

	it.each([
		[{}, sample, 404, 'No endpoint with this id'],
		[{ ...endpoint, active: false }, sample, 409, 'The endpoint is disabled: enable it to send a test event'],
		[endpoint, { error: '"invoice.payed" is not an event type of the catalog' }, 422, 'eventType: "invoice.activated" is not an event type of the catalog'],
		[endpoint, { type: 'invoice.created', sample: {} }, 422, 'eventType: "invoice.activated" is not an event type of the catalog'],
	])('refuses when the endpoint or the type is wrong (%#)', (row, catalogItem, status, error) => {
		expect(testEvent({ id: 3, eventType: 'invoice.activated' }, row, catalogItem, NOW, 'abc')).toEqual({ ok: false, status, error });
	});

	it('is logged finished and marked test, with a cut response body', () => {
		const result = { deliveryId: 'msg_1', eventId: 'evt_test_abc', eventType: 'invoice.activated', resourceId: null, status: 'retrying', responseCode: 500, responseBody: 'x'.repeat(300), error: 'HTTP 500', attempts: 1, firstAttemptAt: ago(0), lastAttemptAt: ago(0), durationMs: 12, endpointGone: false };
		const row = testLogRow(result, endpoint, 77);
		expect(row).toMatchObject({ deliveryId: 'msg_1', eventRow: 77, endpointId: 3, endpointName: 'erp', status: 'failed', responseCode: 500, error: 'HTTP 500', attempts: 1, durationMs: 12, test: true, resourceId: '', attemptLog: '' });
		expect(row.responseBody).toHaveLength(257);
		expect(testLogRow({ ...result, status: 'sent', responseCode: 204, error: null }, endpoint, 77)).toMatchObject({ status: 'sent', error: null });
	});

	it('is asked for with an endpoint id and one exact event type', () => {
		expect(readRequest({ action: 'test', id: 3, eventType: 'invoice.activated' })).toEqual({ action: 'test', id: 3, eventType: 'invoice.activated' });
		expect(readRequest({ action: 'activity' })).toEqual({ action: 'activity' });
		for (const [body, error] of [
			[{ action: 'test', eventType: 'invoice.activated' }, 'id must be a row id (a whole number from 1)'],
			[{ action: 'test', id: '1; drop', eventType: 'invoice.activated' }, 'id must be a row id (a whole number from 1)'],
			[{ action: 'test', id: 1 }, 'eventType must be an event type of the catalog, e.g. invoice.activated'],
			[{ action: 'test', id: 1, eventType: 'invoice.*' }, 'eventType must be an event type of the catalog, e.g. invoice.activated'],
			[{ action: 'test', id: 1, eventType: { $ne: 1 } }, 'eventType must be text'],
			[{ action: 'test', id: 1, eventType: 'a'.repeat(101) }, 'eventType is longer than 100 characters'],
		] as const) {
			expect(readRequest(body)).toEqual({ action: 'invalid', status: 400, error });
		}
	});
});
