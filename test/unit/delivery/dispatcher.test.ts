import type { AttemptRequest, AttemptResult } from '../../../nodes/shared/delivery/attempt';
import { performAttempt } from '../../../nodes/shared/delivery/attempt';
import { Dispatcher, type PreviousState } from '../../../nodes/shared/delivery/delivery';
import { jobFor, testOptions } from '../../helpers/deliveries';

/** The Dispatcher's decisions with a stand-in for the network: these tests open no socket. */
jest.mock('../../../nodes/shared/delivery/attempt', () => ({ performAttempt: jest.fn() }));
const attempt = performAttempt as jest.MockedFunction<typeof performAttempt>;

function answer(statusCode: number, headers: { retryAfter?: string } = {}): AttemptResult {
	return {
		attemptedAt: new Date(),
		durationMs: 1,
		responseCode: statusCode,
		error: statusCode >= 200 && statusCode < 300 ? undefined : `Receiver answered ${statusCode}`,
		outcome: { kind: 'response', statusCode, retryAfter: headers.retryAfter },
	};
}

const url = 'https://partner.example/hooks';
const manual = (previous: PreviousState) => jobFor(url, undefined, { trigger: 'manual', previous });

beforeEach(() => attempt.mockReset());

describe('manual resends leave the schedule as it was', () => {
	const retrying: PreviousState = {
		attempts: 4,
		firstAttemptAt: '2026-12-04T10:00:00.000Z',
		lastAttemptAt: '2026-12-04T10:05:00.000Z',
		retryRound: 2,
		status: 'retrying',
		nextAttemptAt: '2026-12-04T10:35:00.000Z',
	};

	test('a retrying delivery (round 2) whose resend gets a 503 stays retrying, same round and next attempt; the attempt is recorded', async () => {
		attempt.mockResolvedValue(answer(503));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 1 })).deliver(manual(retrying));
		expect(result).toMatchObject({ status: 'retrying', retryRound: 2, nextAttemptAt: '2026-12-04T10:35:00.000Z', attempts: 5, responseCode: 503 });
		expect(result.attemptLog).toEqual([expect.objectContaining({ attempt: 5, trigger: 'manual', responseCode: 503 })]);
	});

	test.each([400, 401, 404, 410, 302])('the same for a %i', async (status) => {
		attempt.mockResolvedValue(answer(status));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 1 })).deliver(manual(retrying));
		expect(result).toMatchObject({ status: 'retrying', retryRound: 2, nextAttemptAt: retrying.nextAttemptAt, attempts: 5, endpointGone: status === 410 });
	});

	test('a failed delivery whose resend fails stays failed, with no next attempt', async () => {
		attempt.mockResolvedValue(answer(500));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 1 })).deliver(manual({ ...retrying, status: 'failed', retryRound: 7, nextAttemptAt: null }));
		expect(result).toMatchObject({ status: 'failed', retryRound: 7, nextAttemptAt: null, attempts: 5 });
	});

	test('a resend that succeeds is sent', async () => {
		attempt.mockResolvedValue(answer(200));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 1 })).deliver(manual(retrying));
		expect(result).toMatchObject({ status: 'sent', attempts: 5, error: null });
	});

	test('a row without a status (an older caller) is failed, as before', async () => {
		attempt.mockResolvedValue(answer(500));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 1 })).deliver(manual({ attempts: 1, retryRound: 1 }));
		expect(result).toMatchObject({ status: 'failed', nextAttemptAt: null, retryRound: 1 });
	});
});

describe('scheduled attempts', () => {
	test('a 404 is retried in the run and then handed to the durable schedule, using one step', async () => {
		attempt.mockResolvedValue(answer(404));
		const result = await new Dispatcher(testOptions({}, { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 })).deliver(jobFor(url));
		expect(attempt).toHaveBeenCalledTimes(2);
		expect(result).toMatchObject({ status: 'retrying', retryRound: 1, attempts: 2 });
	});

	test('410 fails at once and marks the endpoint gone', async () => {
		attempt.mockResolvedValue(answer(410));
		const result = await new Dispatcher(testOptions()).deliver(jobFor(url));
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(result).toMatchObject({ status: 'failed', endpointGone: true, nextAttemptAt: null });
	});

	test('a Retry-After of years schedules the next try within the 24 h cap', async () => {
		attempt.mockResolvedValue(answer(503, { retryAfter: 'Wed, 01 Jan 2100 00:00:00 GMT' }));
		const result = await new Dispatcher(testOptions()).deliver(jobFor(url));
		expect(attempt).toHaveBeenCalledTimes(1); // beyond the in-run cap: not waited for
		expect(result.status).toBe('retrying');
		const delay = Date.parse(result.nextAttemptAt!) - Date.parse(result.lastAttemptAt!);
		expect(delay).toBe(24 * 3_600_000);
	});
});

describe('the time budget counts time queued for a slot', () => {
	test('deliveries still waiting for a slot when the budget is spent are not attempted and go to the schedule without using a step', async () => {
		// Each attempt holds the endpoint's only slot until the test lets it go: no clock is involved.
		const releases: Array<() => void> = [];
		attempt.mockImplementation(
			(_request: AttemptRequest) =>
				new Promise((resolve) => {
					releases.push(() => resolve(answer(200)));
				}),
		);
		const dispatcher = new Dispatcher(testOptions({ maxConcurrencyPerEndpoint: 1 }, { timeBudgetMs: 1000 }));
		const jobs = Array.from({ length: 5 }, () => jobFor(url));
		const realNow = Date.now;
		let now = realNow();
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
		try {
			const all = dispatcher.deliverAll(jobs);
			await new Promise(setImmediate);
			expect(releases).toHaveLength(1);
			// The budget runs out while the first attempt is in flight and four wait for the slot.
			now += 1001;
			jest.advanceTimersByTime(1001);
			releases[0]();
			const results = await all;
			expect(attempt).toHaveBeenCalledTimes(1);
			expect(results[0]).toMatchObject({ status: 'sent' });
			for (const result of results.slice(1)) {
				expect(result).toMatchObject({ status: 'retrying', attempts: 0, retryRound: 0, attemptLog: [] });
				expect(result.error).toMatch(/Not attempted: no free connection slot within the time budget/);
				expect(result.nextAttemptAt).not.toBeNull();
			}
		} finally {
			jest.useRealTimers();
			jest.restoreAllMocks();
		}
	});
});
