import { backoffDelay, decide, defaultRetryPolicy, nextDurableAttempt, parseRetryAfter, type AttemptOutcome } from '../../../nodes/shared/delivery/retryPolicy';

/** The retry decision table, pinned: what each outcome leads to with the default Final Status Codes (410). */
describe('retry decisions', () => {
	const response = (statusCode: number, retryAfter?: string): AttemptOutcome => ({ kind: 'response', statusCode, retryAfter });
	const table: Array<[string, AttemptOutcome, string]> = [
		['200', response(200), 'success'],
		['204', response(204), 'success'],
		['299', response(299), 'success'],
		['100', response(100), 'retry'],
		['301', response(301), 'retry'],
		['302 (never followed)', response(302), 'retry'],
		['304', response(304), 'retry'],
		['400', response(400), 'retry'],
		['401', response(401), 'retry'],
		['403', response(403), 'retry'],
		['404', response(404), 'retry'],
		['408', response(408), 'retry'],
		['409', response(409), 'retry'],
		['413', response(413), 'retry'],
		['422', response(422), 'retry'],
		['429', response(429), 'retry'],
		['500', response(500), 'retry'],
		['502', response(502), 'retry'],
		['503', response(503), 'retry'],
		['599', response(599), 'retry'],
		['410', response(410), 'final'],
		['timeout', { kind: 'timeout' }, 'retry'],
		['connection error', { kind: 'network', code: 'ECONNRESET' }, 'retry'],
		['token endpoint failure', { kind: 'token', statusCode: 500 }, 'retry'],
		['refused by the address policy', { kind: 'refused' }, 'final'],
	];
	test.each(table)('%s -> %s', (_name, outcome, expected) => {
		expect(decide(outcome).verdict).toBe(expected);
	});

	test('only 410 marks the endpoint as gone', () => {
		expect(decide(response(410))).toEqual({ verdict: 'final', endpointGone: true });
		expect(decide({ kind: 'refused' })).toEqual({ verdict: 'final', endpointGone: false });
		expect(decide(response(400), new Date(), [400, 410])).toEqual({ verdict: 'final', endpointGone: false });
	});

	test('Final Status Codes decide which answers stop at once; 2xx always succeeds', () => {
		expect(decide(response(404), new Date(), [404]).verdict).toBe('final');
		expect(decide(response(410), new Date(), []).verdict).toBe('retry');
		expect(decide(response(200), new Date(), [200]).verdict).toBe('success');
	});

	test('Retry-After is read on any retried answer, in seconds or as an HTTP date', () => {
		const now = new Date('2026-12-04T12:00:00Z');
		expect(decide(response(503, '7'), now)).toEqual({ verdict: 'retry', retryAfterMs: 7000 });
		expect(decide(response(401, '2'), now)).toEqual({ verdict: 'retry', retryAfterMs: 2000 });
		expect(decide(response(429, 'Fri, 04 Dec 2026 12:01:00 GMT'), now)).toEqual({ verdict: 'retry', retryAfterMs: 60_000 });
		expect(decide(response(503, 'soon'), now)).toEqual({ verdict: 'retry' });
		expect(parseRetryAfter('Wed, 01 Jan 2100 00:00:00 GMT', now)).toBeGreaterThan(70 * 365 * 24 * 3600 * 1000);
	});
});

describe('durable schedule and the Retry-After cap', () => {
	const at = new Date('2026-12-04T12:00:00Z');
	const noJitter = () => 0;
	const hours = (ms: number) => ms / 3_600_000;

	test('a Retry-After of years is cut to the cap (24 h by default)', () => {
		const years = parseRetryAfter('Wed, 01 Jan 2100 00:00:00 GMT', at);
		const next = nextDurableAttempt(1, at, defaultRetryPolicy, years, noJitter)!;
		expect(hours(next.getTime() - at.getTime())).toBe(24);
		expect(defaultRetryPolicy.retryAfterScheduleCapMs).toBe(24 * 3_600_000);
	});

	test('a Retry-After in seconds of ten digits is capped too', () => {
		const next = nextDurableAttempt(0, at, defaultRetryPolicy, parseRetryAfter('9999999999', at), noJitter)!;
		expect(hours(next.getTime() - at.getTime())).toBe(24);
	});

	test('the cap is an option: 2 h', () => {
		const policy = { ...defaultRetryPolicy, retryAfterScheduleCapMs: 2 * 3_600_000 };
		const next = nextDurableAttempt(0, at, policy, 10 * 24 * 3_600_000, noJitter)!;
		expect(hours(next.getTime() - at.getTime())).toBe(2);
	});

	test('a Retry-After under the cap still moves the retry later; the schedule step applies when it is longer', () => {
		expect(nextDurableAttempt(0, at, defaultRetryPolicy, 3_600_000, noJitter)!.getTime() - at.getTime()).toBe(3_600_000);
		// Round 5's step is 10 h: a 1 h Retry-After does not bring it earlier.
		expect(nextDurableAttempt(5, at, defaultRetryPolicy, 3_600_000, noJitter)!.getTime() - at.getTime()).toBe(10 * 3_600_000);
	});

	test('a schedule step longer than the cap is not shortened by it: the cap only bounds Retry-After', () => {
		const policy = { ...defaultRetryPolicy, retryAfterScheduleCapMs: 60_000 };
		expect(nextDurableAttempt(3, at, policy, 10 * 3_600_000, noJitter)!.getTime() - at.getTime()).toBe(2 * 3_600_000);
	});

	test('when the schedule is spent there is no next attempt, whatever Retry-After says', () => {
		expect(nextDurableAttempt(defaultRetryPolicy.durableScheduleMs.length, at, defaultRetryPolicy, 1000, noJitter)).toBeUndefined();
	});
});

describe('in-run backoff: exponential, half of it jitter, capped, never before Retry-After', () => {
	const policy = { ...defaultRetryPolicy, baseDelayMs: 1000, maxDelayMs: 10_000 };
	const least = () => 0;
	const most = () => 1;
	test.each([
		[1, 500, 1000],
		[2, 1000, 2000],
		[3, 2000, 4000],
		[4, 4000, 8000],
		[5, 5000, 10_000],
		[12, 5000, 10_000],
	])('before attempt %i + 1: from %i to %i ms', (attempt, low, high) => {
		expect(backoffDelay(attempt, policy, undefined, least)).toBe(low);
		expect(backoffDelay(attempt, policy, undefined, most)).toBe(high);
	});

	test('a Retry-After longer than the backoff is waited for; a shorter one changes nothing', () => {
		expect(backoffDelay(1, policy, 7000, least)).toBe(7000);
		expect(backoffDelay(3, policy, 100, least)).toBe(2000);
	});

	test('the durable schedule is followed step by step, with at most 10% jitter, then ends', () => {
		const at = new Date('2026-12-04T12:00:00Z');
		defaultRetryPolicy.durableScheduleMs.forEach((step, round) => {
			expect(nextDurableAttempt(round, at, defaultRetryPolicy, undefined, least)!.getTime() - at.getTime()).toBe(step);
			expect(nextDurableAttempt(round, at, defaultRetryPolicy, undefined, most)!.getTime() - at.getTime()).toBe(Math.round(step * 1.1));
		});
		expect(nextDurableAttempt(defaultRetryPolicy.durableScheduleMs.length, at, defaultRetryPolicy)).toBeUndefined();
	});
});
