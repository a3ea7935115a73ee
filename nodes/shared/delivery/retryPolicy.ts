/**
 * When to try again, as data (after Svix's worker): the outcome of one attempt goes in, a verdict
 * comes out. Sending is elsewhere (attempt.ts), so this is tested as a table.
 */
export type AttemptOutcome =
	| { kind: 'response'; statusCode: number; retryAfter?: string }
	| { kind: 'timeout' }
	| { kind: 'network'; code?: string }
	/** The token endpoint failed or refused: the receiver was never asked, try again later. */
	| { kind: 'token'; statusCode?: number }
	/** The URL policy refused the address: retrying cannot help. */
	| { kind: 'refused' };

export type Verdict =
	| { verdict: 'success' }
	| { verdict: 'retry'; retryAfterMs?: number }
	| { verdict: 'final'; endpointGone: boolean };

export interface RetryPolicy {
	/** Attempts within one run of the node (immediate retries). */
	maxAttempts: number;
	/** Wall-clock budget for one run's attempts of a delivery, including waits. */
	timeBudgetMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for in the run; it moves the durable retry later. */
	retryAfterCapMs: number;
	/** Delays of the durable retries, carried out by a later run (the retry workflow). */
	durableScheduleMs: number[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Svix's schedule after the first run: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const defaultDurableSchedule = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

export const defaultRetryPolicy: RetryPolicy = {
	maxAttempts: 3,
	timeBudgetMs: 60 * SECOND,
	baseDelayMs: 1 * SECOND,
	maxDelayMs: 10 * SECOND,
	retryAfterCapMs: 30 * SECOND,
	durableScheduleMs: defaultDurableSchedule,
};

const retryableStatus = new Set([408, 425, 429]);

export function decide(outcome: AttemptOutcome, now: Date = new Date()): Verdict {
	switch (outcome.kind) {
		case 'response': {
			const { statusCode } = outcome;
			if (statusCode >= 200 && statusCode < 300) return { verdict: 'success' };
			if (retryableStatus.has(statusCode) || statusCode >= 500) {
				const retryAfterMs = parseRetryAfter(outcome.retryAfter, now);
				return retryAfterMs === undefined ? { verdict: 'retry' } : { verdict: 'retry', retryAfterMs };
			}
			// 1xx/3xx (redirects are never followed) and other 4xx: the receiver said no.
			return { verdict: 'final', endpointGone: statusCode === 410 };
		}
		case 'timeout':
		case 'network':
		case 'token':
			return { verdict: 'retry' };
		case 'refused':
			return { verdict: 'final', endpointGone: false };
	}
}

/** Retry-After in delta-seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d{1,10}$/.test(text)) return Number(text) * SECOND;
	const date = Date.parse(text);
	if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
	return Math.max(0, date - now.getTime());
}

/**
 * Wait before in-run attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half
 * random), so a burst of failures does not come back in lockstep, and never below Retry-After.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	const jittered = exponential / 2 + random() * (exponential / 2);
	return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * When the next durable retry is due after run number `retryRound` (0 = the first run) failed,
 * or undefined when the schedule is spent. Jitter of up to +10% spreads retries of many deliveries.
 */
export function nextDurableAttempt(
	retryRound: number,
	lastAttemptAt: Date,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): Date | undefined {
	const delay = policy.durableScheduleMs[retryRound];
	if (delay === undefined) return undefined;
	const jittered = delay + random() * delay * 0.1;
	return new Date(lastAttemptAt.getTime() + Math.round(Math.max(jittered, retryAfterMs ?? 0)));
}
