import { randomBytes } from 'node:crypto';

import { scopedDeliveryId, type DeliveryResult } from '../../../nodes/shared/delivery/delivery';
import { parseEndpoints } from '../../../nodes/shared/delivery/plan';
import { appendAttempts, attemptsOf, eventRowFor, planOutbox, readAttemptLog, readSchemaIssues, recordFor, sentPayload, storedPayload, ATTEMPT_LOG_CAP, SCHEMA_ISSUES_CAP } from '../../../nodes/shared/storage/records';
import { RESPONSE_BODY_CAP, type OutboxRow } from '../../../nodes/shared/storage/tables';

const event = { id: 'evt_1', type: 'invoice.paid', timestamp: '2026-12-04T00:00:00.000Z', resourceId: 'inv_1', channels: ['client_a'], data: { amount: 1 } };
const recorded = { ...eventRowFor(event, 'billing', JSON.stringify(event)), id: 7 };
const claim = { claim: 'exec-1', dueAt: '2026-12-04T00:03:00.000Z' };

function outbox(fields: Partial<OutboxRow> = {}): OutboxRow {
	return { ...planOutbox(recorded, parseEndpoints([{ id: 3, name: 'crm', url: 'https://crm.example/hook' }]), claim)[0], ...fields };
}

function result(fields: Partial<DeliveryResult>): DeliveryResult {
	return {
		deliveryId: 'dlv_1', eventId: 'evt_1', eventType: 'invoice.paid', resourceId: 'inv_1', channels: '', endpointName: 'crm', endpointUrl: 'https://crm.example/hook',
		endpointAuthentication: null, payload: '{}', status: 'sent', responseCode: 200, responseBody: 'ok', error: null, attempts: 1, firstAttemptAt: '2026-12-04T00:00:01.000Z',
		lastAttemptAt: '2026-12-04T00:00:01.000Z', nextAttemptAt: null, durationMs: 12, retryRound: 0, endpointGone: false,
		attemptLog: [{ deliveryId: 'dlv_1', attempt: 1, attemptedAt: '2026-12-04T00:00:01.000Z', responseCode: 200, durationMs: 12, error: null, trigger: 'scheduled' }],
		...fields,
	};
}

describe('event records', () => {
	it('scope the event key by source; the body is stored as given, once', () => {
		expect(eventRowFor(event, 'shipping', 'BODY')).toEqual({ eventKey: 'shipping:evt_1', source: 'shipping', eventId: 'evt_1', eventType: 'invoice.paid', resourceId: 'inv_1', channels: 'client_a', payload: 'BODY' });
	});

	it('give the same event id from two sources two delivery ids, and keep billing\'s ids as they were before scoping', () => {
		expect(scopedDeliveryId('billing', 'evt_1', 'id:3')).not.toBe(scopedDeliveryId('shipping', 'evt_1', 'id:3'));
		expect(scopedDeliveryId('billing', 'evt_1', 'id:3')).toBe(scopedDeliveryId('billing', 'evt_1', 'id:3'));
	});
});

describe('planning the outbox', () => {
	it('plans one claimed row per matching endpoint, nothing for the others, and a row with the reason for a broken endpoint', () => {
		const rows = planOutbox(
			recorded,
			parseEndpoints([
				{ id: 1, name: 'all', url: 'https://a.example/' },
				{ id: 2, name: 'orders', url: 'https://b.example/', eventTypes: 'order.created' },
				{ id: 3, name: 'paused', url: 'https://c.example/', active: false },
				{ id: 4, name: 'other client', url: 'https://d.example/', channels: 'client_b' },
				{ id: 5, name: 'broken', url: '' },
			]),
			claim,
		);
		expect(rows.map((row) => [row.endpointName, row.endpointId, row.error])).toEqual([
			['all', 1, null],
			['broken', 5, expect.stringMatching(/^Invalid endpoint: url is required/)],
		]);
		expect(rows[0]).toMatchObject({ eventRow: 7, status: 'pending', attempts: 0, version: 0, claim: 'exec-1', dueAt: claim.dueAt, attemptLog: '', nextAttemptAt: null });
	});
});

describe('recording an outcome', () => {
	it('a first-attempt success finishes the delivery with an empty attempt log (the row describes the attempt)', () => {
		const record = recordFor(outbox(), result({}), 'scheduled');
		expect(record).toMatchObject({ status: 'sent', finished: true, attempts: 1, attemptLog: '', responseCode: 200, error: null });
		expect(attemptsOf(record)).toEqual([{ n: 1, at: '2026-12-04T00:00:01.000Z', code: 200, ms: 12 }]);
	});

	it('a failed run leaves the row open, unclaimed, due at its next attempt, with every attempt logged', () => {
		const record = recordFor(
			outbox(),
			result({
				status: 'retrying', responseCode: 503, error: 'HTTP 503', attempts: 2, retryRound: 1, nextAttemptAt: '2026-12-04T00:05:00.000Z',
				attemptLog: [1, 2].map((attempt) => ({ deliveryId: 'dlv_1', attempt, attemptedAt: `t${attempt}`, responseCode: 503, durationMs: 5, error: 'HTTP 503', trigger: 'scheduled' as const })),
			}),
			'scheduled',
		);
		expect(record).toMatchObject({ status: 'retrying', finished: false, claim: '', nextAttemptAt: '2026-12-04T00:05:00.000Z', dueAt: '2026-12-04T00:05:00.000Z', retryRound: 1 });
		expect(readAttemptLog(record.attemptLog).map((attempt) => [attempt.n, attempt.code, attempt.by])).toEqual([
			[1, 503, undefined],
			[2, 503, undefined],
		]);
	});

	it('a manual attempt that fails leaves an open delivery\'s status and schedule as they were, and records the attempt', () => {
		const open = outbox({ status: 'retrying', attempts: 4, retryRound: 2, nextAttemptAt: '2026-12-04T02:00:00.000Z', attemptLog: '' });
		const failed = result({ status: 'failed', responseCode: 503, attempts: 5, retryRound: 2, nextAttemptAt: null, attemptLog: [{ deliveryId: 'dlv_1', attempt: 5, attemptedAt: 't5', responseCode: 503, durationMs: 1, error: 'x', trigger: 'manual' }] });
		expect(recordFor(open, failed, 'manual')).toMatchObject({ status: 'retrying', finished: false, retryRound: 2, nextAttemptAt: '2026-12-04T02:00:00.000Z', dueAt: '2026-12-04T02:00:00.000Z', attempts: 5 });
		// The same on a finished log row: a failed resend does not make a sent delivery failed.
		expect(recordFor({ ...open, status: 'sent' }, failed, 'manual')).toMatchObject({ status: 'sent', finished: true, attempts: 5 });
		// But 410 Gone is final, whoever asked.
		expect(recordFor(open, { ...failed, responseCode: 410, endpointGone: true }, 'manual')).toMatchObject({ status: 'failed', finished: true });
	});

	it('writes out the first attempt from the row when a second one comes', () => {
		const logged = { ...outbox({ status: 'sent' as never, attempts: 1, lastAttemptAt: 't1', responseCode: 200 }), durationMs: 9 };
		const log = appendAttempts(logged, [{ deliveryId: 'dlv_1', attempt: 2, attemptedAt: 't2', responseCode: 200, durationMs: 3, error: null, trigger: 'manual' }]);
		expect(readAttemptLog(log)).toEqual([
			{ n: 1, at: 't1', code: 200, ms: 9 },
			{ n: 2, at: 't2', code: 200, ms: 3, by: 'm' },
		]);
	});

	it('caps the response body and the attempt log; a malformed log cell reads as empty', () => {
		const record = recordFor(outbox(), result({ responseBody: 'x'.repeat(5000) }), 'scheduled');
		expect(record.responseBody).toHaveLength(RESPONSE_BODY_CAP + 1);
		const many = Array.from({ length: ATTEMPT_LOG_CAP + 10 }, (_, i) => ({ deliveryId: 'd', attempt: i + 1, attemptedAt: 't', responseCode: 500, durationMs: 1, error: null, trigger: 'scheduled' as const }));
		const stored = readAttemptLog(appendAttempts(outbox(), many));
		expect(stored).toHaveLength(ATTEMPT_LOG_CAP);
		expect(stored[0].n).toBe(11);
		expect(readAttemptLog('{not json')).toEqual([]);
		expect(readAttemptLog('[1, {"x":1}, {"n":2}]')).toEqual([{ n: 2 }]);
	});
});

describe('stored bodies', () => {
	it('keep short bodies as they are, store long ones deflated, and give back the exact bytes', () => {
		expect(storedPayload('{"id":"evt_1"}')).toBe('{"id":"evt_1"}');
		const long = JSON.stringify({ ...event, data: { lines: Array.from({ length: 30 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i })) } });
		const stored = storedPayload(long);
		expect(stored.startsWith('z:')).toBe(true);
		expect(stored.length).toBeLessThan(long.length / 2);
		expect(sentPayload(stored)).toBe(long);
		expect(eventRowFor(event, 'billing', long).payload).toBe(stored);
	});

	it('keep a long body that does not deflate as it is, and refuse a cell that is not a stored body', () => {
		const random = randomBytes(900).toString('base64');
		expect(storedPayload(random)).toBe(random);
		expect(() => sentPayload('z:not-deflate-data')).toThrow();
	});
});

describe('schema issues kept with the event (lenient validation)', () => {
	test('only well-formed issues are kept, cut and capped; anything else reads as none', () => {
		expect(readSchemaIssues(undefined)).toEqual([]);
		expect(readSchemaIssues('data.x: Required')).toEqual([]);
		expect(readSchemaIssues([{ path: 'data.x', message: 'Required' }, { path: 1, message: 'x' }, null, 'text'])).toEqual([{ path: 'data.x', message: 'Required' }]);
		const many = Array.from({ length: SCHEMA_ISSUES_CAP + 5 }, (_, i) => ({ path: `data.f${i}`, message: 'm'.repeat(1000) }));
		const kept = readSchemaIssues(many);
		expect(kept).toHaveLength(SCHEMA_ISSUES_CAP);
		expect(kept[0].message.length).toBeLessThanOrEqual(301);
	});
});
