import { createHash } from 'node:crypto';

import type { Authenticator } from '../auth/authenticator';
import type { UrlPolicy } from '../security/urlPolicy';
import { KeyedLimiter, Limiter, sleep } from '../util/limiter';
import { performAttempt, type AttemptResult } from './attempt';
import type { EndpointAuthentication } from './endpoint';
import { backoffDelay, decide, nextDurableAttempt, type RetryPolicy } from './retryPolicy';

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
	previous?: { attempts: number; firstAttemptAt?: string | null; retryRound: number };
	trigger: AttemptTrigger;
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

/** Runs deliveries with bounded concurrency, overall and per endpoint; results keep the jobs' order. */
export class Dispatcher {
	private readonly overall: Limiter;
	private readonly perEndpoint: KeyedLimiter;

	constructor(private readonly options: DeliveryOptions) {
		this.overall = new Limiter(options.maxConcurrency);
		this.perEndpoint = new KeyedLimiter(options.maxConcurrencyPerEndpoint);
	}

	/**
	 * Deliveries start in the jobs' order as overall slots free up, each with its slot for its first
	 * attempt: 10,000 jobs are not 10,000 suspended deliveries (their state would outlive young-
	 * generation collections and grow the old space by hundreds of megabytes in a big fan-out).
	 */
	async deliverAll(jobs: DeliveryJob[]): Promise<DeliveryResult[]> {
		const results: Array<Promise<DeliveryResult>> = new Array(jobs.length);
		for (let i = 0; i < jobs.length; i++) {
			await this.overall.acquire();
			results[i] = this.deliver(jobs[i], true);
		}
		return Promise.all(results);
	}

	/** `admitted`: the caller took an overall slot for the first attempt (deliverAll). */
	async deliver(job: DeliveryJob, admitted = false): Promise<DeliveryResult> {
		const slot = { held: admitted };
		try {
			return await this.run(job, slot);
		} finally {
			// Only when no attempt took the slot (maxAttempts below 1): an attempt frees it itself.
			if (slot.held) this.overall.release();
		}
	}

	private async run(job: DeliveryJob, slot: { held: boolean }): Promise<DeliveryResult> {
		const { retryPolicy: policy } = this.options;
		const random = this.options.random ?? Math.random;
		const started = Date.now();
		const attemptLog: AttemptLogEntry[] = [];
		let attemptNumber = job.previous?.attempts ?? 0;
		let last: AttemptResult | undefined;
		let retryAfterMs: number | undefined;

		for (let inRun = 1; inRun <= policy.maxAttempts; inRun++) {
			if (inRun > 1) {
				const delay = backoffDelay(inRun - 1, policy, retryAfterMs, random);
				// Waits longer than the budget allows belong to the durable schedule, not to this run.
				if (Date.now() + delay - started > policy.timeBudgetMs) break;
				await sleep(delay);
			}
			// Slots are held only while a request is in flight, not while waiting to retry.
			const attempt = () => this.perEndpoint.for(job.endpoint.key).run(() => performAttempt(this.attemptRequest(job)));
			if (slot.held) {
				slot.held = false;
				last = await this.overall.runAcquired(attempt);
			} else {
				last = await this.overall.run(attempt);
			}
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

			const verdict = decide(last.outcome, last.attemptedAt);
			if (verdict.verdict === 'success') return this.result(job, 'sent', attemptLog, last, started);
			if (verdict.verdict === 'final') {
				return this.result(job, 'failed', attemptLog, last, started, { endpointGone: verdict.endpointGone });
			}
			retryAfterMs = verdict.retryAfterMs;
			if (retryAfterMs !== undefined && retryAfterMs > policy.retryAfterCapMs) break;
		}

		if (!last) throw new RangeError('maxAttempts must be at least 1');
		// A resend is one person's request, done now or not at all; it does not restart the schedule.
		const retryRound = job.previous?.retryRound ?? 0;
		const next = job.trigger === 'manual' ? undefined : nextDurableAttempt(retryRound, last.attemptedAt, policy, retryAfterMs, random);
		return next
			? this.result(job, 'retrying', attemptLog, last, started, { nextAttemptAt: next })
			: this.result(job, 'failed', attemptLog, last, started);
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
		last: AttemptResult,
		started: number,
		extra: { nextAttemptAt?: Date; endpointGone?: boolean } = {},
	): DeliveryResult {
		// Written out rather than spread from deliveryFields: this runs once per delivery.
		return {
			deliveryId: job.deliveryId,
			eventId: job.eventId,
			eventType: job.eventType,
			resourceId: job.resourceId ?? null,
			channels: job.channels ? job.channels.join(',') : '',
			endpointName: job.endpoint.name,
			endpointUrl: job.endpoint.url,
			endpointAuthentication: job.endpoint.authentication ?? null,
			payload: job.payload,
			status,
			responseCode: last.responseCode ?? null,
			responseBody: last.responseBody ?? null,
			error: status === 'sent' ? null : (last.error ?? null),
			attempts: (job.previous?.attempts ?? 0) + attemptLog.length,
			firstAttemptAt: job.previous?.firstAttemptAt ?? attemptLog[0]?.attemptedAt ?? null,
			lastAttemptAt: attemptLog.at(-1)?.attemptedAt ?? null,
			nextAttemptAt: extra.nextAttemptAt?.toISOString() ?? null,
			durationMs: Date.now() - started,
			// Handing over to the durable schedule uses up one of its steps.
			retryRound: (job.previous?.retryRound ?? 0) + (status === 'retrying' ? 1 : 0),
			endpointGone: extra.endpointGone ?? false,
			attemptLog,
		};
	}
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
		endpointUrl: job.endpoint.url,
		endpointAuthentication: job.endpoint.authentication ?? null,
		payload: job.payload,
	};
}
