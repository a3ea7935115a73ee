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
	/** The most a Retry-After can move the durable retry: a receiver cannot park an event for years. */
	retryAfterScheduleCapMs: number;
	/** Answers that end a delivery at once (410 by default); every other non-2xx is retried. */
	finalStatusCodes: number[];
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
	retryAfterScheduleCapMs: 24 * HOUR,
	finalStatusCodes: [410],
	durableScheduleMs: defaultDurableSchedule,
};

type Decision = 'success' | 'retry' | 'final';

/**
 * The decision table, first matching row wins (README "Retries" shows the same table). As Svix
 * does, every non-2xx answer is retried on the schedule: a receiver's 401/404 is often a bad
 * minute (a deploy, a rotated key), and dropping the event then loses it for good. Only the
 * final codes (410 Gone by default) stop at once. A 3xx is never followed, so it is a failure.
 */
export const decisionTable: ReadonlyArray<{ when: string; applies: (outcome: AttemptOutcome, finalCodes: ReadonlySet<number>) => boolean; decision: Decision }> = [
	{ when: '2xx', applies: (o) => o.kind === 'response' && o.statusCode >= 200 && o.statusCode < 300, decision: 'success' },
	{ when: 'a Final Status Code (410)', applies: (o, final) => o.kind === 'response' && final.has(o.statusCode), decision: 'final' },
	{ when: 'any other answer: 1xx, 3xx, 4xx, 5xx', applies: (o) => o.kind === 'response', decision: 'retry' },
	{ when: 'timeout, connection error, token endpoint failure', applies: (o) => o.kind === 'timeout' || o.kind === 'network' || o.kind === 'token', decision: 'retry' },
	{ when: 'URL refused by the address policy', applies: (o) => o.kind === 'refused', decision: 'final' },
];

export function decide(outcome: AttemptOutcome, now: Date = new Date(), finalStatusCodes: readonly number[] = defaultRetryPolicy.finalStatusCodes): Verdict {
	const final = new Set(finalStatusCodes);
	const row = decisionTable.find((candidate) => candidate.applies(outcome, final));
	const decision = row?.decision ?? 'retry';
	if (decision === 'success') return { verdict: 'success' };
	if (decision === 'final') return { verdict: 'final', endpointGone: outcome.kind === 'response' && outcome.statusCode === 410 };
	const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, now) : undefined;
	return retryAfterMs === undefined ? { verdict: 'retry' } : { verdict: 'retry', retryAfterMs };
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
	// Never before a Retry-After, but never later than the cap either (a date in 2100 is a bug or a trap).
	const notBefore = Math.min(retryAfterMs ?? 0, policy.retryAfterScheduleCapMs ?? defaultRetryPolicy.retryAfterScheduleCapMs);
	return new Date(lastAttemptAt.getTime() + Math.round(Math.max(jittered, notBefore)));
}
