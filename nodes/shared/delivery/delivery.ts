import { createHash } from 'node:crypto';

import type { Authenticator } from '../auth/authenticator';
import type { UrlPolicy } from '../security/urlPolicy';
import { KeyedLimiter, Limiter, sleep } from '../util/limiter';
import { performAttempt, type AttemptResult } from './attempt';
import type { EndpointAuthentication } from './endpoint';
import { backoffDelay, decide, nextDurableAttempt, type RetryPolicy, type Verdict } from './retryPolicy';
import { displayUrl } from '../security/displayUrl';

/** `pending`: recorded, not yet attempted (see the Prepare Deliveries operation). */
export type DeliveryStatus = 'pending' | 'sent' | 'retrying' | 'failed' | 'skipped';
/** Who started an attempt: the dispatch or the retry schedule, or a person asking for a resend. */
export type AttemptTrigger = 'scheduled' | 'manual';

/** One row of the attempt log. */
export interface AttemptLogEntry {
	deliveryId: string;
	attempt: number;
	attemptedAt: string;
	responseCode: number | null;
	durationMs: number;
	error: string | null;
	trigger: AttemptTrigger;
}

/** One delivery (event x endpoint) as the node outputs it: flat, ready for a log table row. */
export interface DeliveryResult {
	deliveryId: string;
	eventId: string;
	eventType: string;
	resourceId: string | null;
	/** Comma-separated, as a table cell holds it. */
	channels: string;
	endpointName: string;
	endpointUrl: string;
	endpointAuthentication: EndpointAuthentication | null;
	status: DeliveryStatus;
	responseCode: number | null;
	responseBody: string | null;
	error: string | null;
	/** Attempts made so far, earlier runs included. */
	attempts: number;
	firstAttemptAt: string | null;
	lastAttemptAt: string | null;
	nextAttemptAt: string | null;
	/** Time spent in this run's attempts. */
	durationMs: number;
	/** Steps of the durable retry schedule used so far; when all are used, the delivery fails. */
	retryRound: number;
	/** The receiver answered 410 Gone: the endpoint should be disabled. */
	endpointGone: boolean;
	/** This run's attempts. */
	attemptLog: AttemptLogEntry[];
	/** The body exactly as sent, so a retry or resend sends the same bytes. */
	payload: string;
}

export interface DeliveryJob {
	deliveryId: string;
	eventId: string;
	eventType: string;
	resourceId?: string | null;
	channels?: string[];
	endpoint: { key: string; name: string; url: string; authentication?: EndpointAuthentication };
	payload: string;
	authenticator: Authenticator;
	signingSecrets: string[];
	/** Where an earlier run left the delivery; absent for a new delivery. */
	previous?: PreviousState;
	trigger: AttemptTrigger;
	/** Epoch ms when this run's claim on the delivery ends: no attempt starts that could run past it. */
	deadline?: number;
}

/**
 * The delivery log row's state before this run. A failed manual resend hands status and
 * nextAttemptAt back unchanged; when they are unknown it counts as failed, as before.
 */
export interface PreviousState {
	attempts: number;
	firstAttemptAt?: string | null;
	lastAttemptAt?: string | null;
	retryRound: number;
	status?: DeliveryStatus;
	nextAttemptAt?: string | null;
}

export interface DeliveryOptions {
	retryPolicy: RetryPolicy;
	timeoutMs: number;
	urlPolicy: UrlPolicy;
	maxConcurrency: number;
	maxConcurrencyPerEndpoint: number;
	responseBodyLimit: number;
	responseReadLimit: number;
	/** A forward proxy set on the node; absent: HTTP(S)_PROXY / NO_PROXY from the environment. */
	proxy?: string;
	random?: () => number;
}

/**
 * The delivery id is also the `webhook-id` header: derived from the event and the endpoint, so it
 * is the same on every retry and resend, and a re-posted event maps to the same delivery.
 */
export function deliveryIdFor(eventId: string, endpointKey: string): string {
	return `dlv_${createHash('sha256').update(`${eventId}\n${endpointKey}`).digest('base64url').slice(0, 27)}`;
}

/** Event identity is scoped by source system: billing's evt_1 and shipping's evt_1 are two events. */
export function eventKeyFor(source: string, eventId: string): string {
	return `${source}:${eventId}`;
}

/**
 * The delivery id of an event recorded from a source system. Billing keeps the unscoped form it had
 * before sources were told apart, so deliveries recorded before an upgrade keep their webhook-id;
 * every other source is scoped, so the same event id from two systems gives two deliveries.
 */
export function scopedDeliveryId(source: string, eventId: string, endpointKey: string): string {
	return deliveryIdFor(source === 'billing' ? eventId : eventKeyFor(source, eventId), endpointKey);
}

/** Runs deliveries with bounded concurrency, overall and per endpoint; results keep the jobs' order. */
export class Dispatcher {
	private readonly overall: Limiter;
	private readonly perEndpoint: KeyedLimiter;

	constructor(private readonly options: DeliveryOptions) {
		this.overall = new Limiter(options.maxConcurrency);
		this.perEndpoint = new KeyedLimiter(options.maxConcurrencyPerEndpoint);
	}

	// Every job starts at once and waits for its slots: the wait counts against its time budget (and
	// its claim), which admission ahead of the budget would hide.
	deliverAll(jobs: DeliveryJob[]): Promise<DeliveryResult[]> {
		return Promise.all(jobs.map((job) => this.deliver(job)));
	}

	async deliver(job: DeliveryJob): Promise<DeliveryResult> {
		const { retryPolicy: policy } = this.options;
		const random = this.options.random ?? Math.random;
		if (policy.maxAttempts < 1) throw new RangeError('maxAttempts must be at least 1');
		const started = Date.now();
		// The budget counts from the start of the run, so time spent queued for a slot uses it up too.
		// A claim on the delivery ends it sooner: no attempt starts that could still run when it ends.
		const deadline = Math.min(started + policy.timeBudgetMs, job.deadline !== undefined ? job.deadline - this.options.timeoutMs : Infinity);
		const attemptLog: AttemptLogEntry[] = [];
		let attemptNumber = job.previous?.attempts ?? 0;
		let last: AttemptResult | undefined;
		let retryAfterMs: number | undefined;
		let verdict: Verdict | undefined;

		for (let inRun = 1; inRun <= policy.maxAttempts; inRun++) {
			if (inRun > 1) {
				const delay = backoffDelay(inRun - 1, policy, retryAfterMs, random);
				// Waits longer than the budget allows belong to the durable schedule, not to this run.
				if (Date.now() + delay > deadline) break;
				await sleep(delay);
			}
			// A slot free right away would be granted however late it is: past the deadline, stop here.
			if (Date.now() > deadline) break;
			// Slots are held only while a request is in flight, not while waiting to retry. The endpoint's
			// slot is taken first, so a busy endpoint does not hold overall slots other endpoints could use.
			const slot = await this.perEndpoint
				.for(job.endpoint.key)
				.runBefore(deadline, () => this.overall.runBefore(deadline, () => performAttempt(this.attemptRequest(job))));
			if (!slot.ran || !slot.value.ran) break;
			last = slot.value.value;
			attemptNumber++;
			attemptLog.push({
				deliveryId: job.deliveryId,
				attempt: attemptNumber,
				attemptedAt: last.attemptedAt.toISOString(),
				responseCode: last.responseCode ?? null,
				durationMs: last.durationMs,
				error: last.error ?? null,
				trigger: job.trigger,
			});

			verdict = decide(last.outcome, last.attemptedAt, policy.finalStatusCodes);
			if (verdict.verdict === 'success') return this.result(job, 'sent', attemptLog, last, started);
			if (verdict.verdict === 'final') break;
			retryAfterMs = verdict.retryAfterMs;
			if (retryAfterMs !== undefined && retryAfterMs > policy.retryAfterCapMs) break;
		}

		const retryRound = job.previous?.retryRound ?? 0;
		const endpointGone = verdict?.verdict === 'final' && verdict.endpointGone;
		if (job.trigger === 'manual') {
			// A resend is one person's try: when it fails, the delivery stays where the schedule left it
			// (a retrying delivery keeps its next attempt, a failed one stays failed); the attempts are recorded.
			return this.result(job, job.previous?.status ?? 'failed', attemptLog, last, started, {
				nextAttemptAt: job.previous?.nextAttemptAt ?? null,
				retryRound,
				endpointGone,
			});
		}
		if (!last) {
			// Not attempted at all: every slot was busy for the whole budget. That is our congestion, not
			// the receiver's failure, so no step of the schedule is used; the next retry run takes it.
			const next = new Date(Date.now() + (policy.durableScheduleMs[0] ?? 0));
			return this.result(job, 'retrying', attemptLog, last, started, { nextAttemptAt: next.toISOString(), retryRound });
		}
		if (verdict?.verdict === 'final') return this.result(job, 'failed', attemptLog, last, started, { retryRound, endpointGone });
		const next = nextDurableAttempt(retryRound, last.attemptedAt, policy, retryAfterMs, random);
		// Handing over to the durable schedule uses up one of its steps.
		return next
			? this.result(job, 'retrying', attemptLog, last, started, { nextAttemptAt: next.toISOString(), retryRound: retryRound + 1 })
			: this.result(job, 'failed', attemptLog, last, started, { retryRound });
	}

	private attemptRequest(job: DeliveryJob) {
		return {
			url: job.endpoint.url,
			body: job.payload,
			webhookId: job.deliveryId,
			signingSecrets: job.signingSecrets,
			authenticator: job.authenticator,
			timeoutMs: this.options.timeoutMs,
			urlPolicy: this.options.urlPolicy,
			maxSocketsPerHost: this.options.maxConcurrencyPerEndpoint,
			responseBodyLimit: this.options.responseBodyLimit,
			responseReadLimit: this.options.responseReadLimit,
			proxy: this.options.proxy,
		};
	}

	private result(
		job: DeliveryJob,
		status: DeliveryStatus,
		attemptLog: AttemptLogEntry[],
		last: AttemptResult | undefined,
		started: number,
		extra: { nextAttemptAt?: string | null; endpointGone?: boolean; retryRound?: number } = {},
	): DeliveryResult {
		const notAttempted = `Not attempted: no free connection slot within the time budget (${Math.round(this.options.retryPolicy.timeBudgetMs / 1000)} s) or before the claim on the delivery ran out`;
		const succeeded = last !== undefined && decide(last.outcome).verdict === 'success';
		// Written out rather than spread from deliveryFields: this runs once per delivery.
		return {
			deliveryId: job.deliveryId,
			eventId: job.eventId,
			eventType: job.eventType,
			resourceId: job.resourceId ?? null,
			channels: job.channels ? job.channels.join(',') : '',
			endpointName: job.endpoint.name,
			endpointUrl: displayUrl(job.endpoint.url),
			endpointAuthentication: job.endpoint.authentication ?? null,
			payload: job.payload,
			status,
			responseCode: last?.responseCode ?? null,
			responseBody: last?.responseBody ?? null,
			error: last === undefined ? notAttempted : succeeded ? null : (last.error ?? null),
			attempts: (job.previous?.attempts ?? 0) + attemptLog.length,
			firstAttemptAt: job.previous?.firstAttemptAt ?? attemptLog[0]?.attemptedAt ?? null,
			lastAttemptAt: attemptLog.at(-1)?.attemptedAt ?? job.previous?.lastAttemptAt ?? null,
			nextAttemptAt: extra.nextAttemptAt ?? null,
			durationMs: Date.now() - started,
			retryRound: extra.retryRound ?? job.previous?.retryRound ?? 0,
			endpointGone: extra.endpointGone ?? false,
			attemptLog,
		};
	}
}

/** A delivery settled (or left open) without an attempt in this run: skipped, invalid, or out of time. */
export function notAttemptedResult(
	job: Pick<DeliveryJob, 'deliveryId' | 'eventId' | 'eventType' | 'resourceId' | 'channels' | 'endpoint' | 'payload' | 'previous'>,
	status: DeliveryStatus,
	error: string | null,
): DeliveryResult {
	return {
		...deliveryFields(job),
		status,
		responseCode: null,
		responseBody: null,
		error,
		attempts: job.previous?.attempts ?? 0,
		firstAttemptAt: job.previous?.firstAttemptAt ?? null,
		lastAttemptAt: null,
		nextAttemptAt: null,
		durationMs: 0,
		retryRound: job.previous?.retryRound ?? 0,
		endpointGone: false,
		attemptLog: [],
	};
}

/** The fields of a delivery known before any attempt: used for results and for skipped or invalid ones. */
export function deliveryFields(job: Pick<DeliveryJob, 'deliveryId' | 'eventId' | 'eventType' | 'resourceId' | 'channels' | 'endpoint' | 'payload'>) {
	return {
		deliveryId: job.deliveryId,
		eventId: job.eventId,
		eventType: job.eventType,
		resourceId: job.resourceId ?? null,
		channels: (job.channels ?? []).join(','),
		endpointName: job.endpoint.name,
		endpointUrl: displayUrl(job.endpoint.url),
		endpointAuthentication: job.endpoint.authentication ?? null,
		payload: job.payload,
	};
}
