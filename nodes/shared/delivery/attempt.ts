import { isAxiosError } from 'axios';

import type { Authenticator } from '../auth/authenticator';
import { TokenError } from '../auth/oauth2';
import { sign } from '../auth/signature';
import { UrlPolicyError, checkUrl, type UrlPolicy } from '../security/urlPolicy';
import { userAgent } from '../util/packageInfo';
import { redactionMargin, redactThenCut } from '../util/redact';
import { transportFor } from './transport';
import { DeadlineError, WireSettings, type WireBody } from './wire';
import type { AttemptOutcome } from './retryPolicy';

export interface AttemptRequest {
	url: string;
	/** The exact bytes to send (and to sign): the serialised event envelope. */
	body: string;
	webhookId: string;
	/** Current secret first; empty when the delivery is not signed. */
	signingSecrets: string[];
	authenticator: Authenticator;
	timeoutMs: number;
	urlPolicy: UrlPolicy;
	maxSocketsPerHost: number;
	/** How much of the response body is kept for the log. */
	responseBodyLimit: number;
	/** How much of the response body is read at most before the connection is dropped. */
	responseReadLimit: number;
	/** A forward proxy URL set on the node; empty or absent: HTTP(S)_PROXY / NO_PROXY from the environment. */
	proxy?: string;
}

export interface AttemptResult {
	attemptedAt: Date;
	durationMs: number;
	responseCode?: number;
	responseBody?: string;
	error?: string;
	outcome: AttemptOutcome;
}

/** One attempt: build, sign, send, record. Whether to try again is retryPolicy's business. */
export async function performAttempt(request: AttemptRequest): Promise<AttemptResult> {
	const attemptedAt = new Date();
	const started = performance.now();
	const finish = (fields: Omit<AttemptResult, 'attemptedAt' | 'durationMs'>): AttemptResult => ({
		attemptedAt,
		durationMs: Math.round(performance.now() - started),
		...fields,
	});

	const refusal = staticRefusal(request.url, request.urlPolicy);
	if (refusal !== undefined) return finish({ error: refusal, outcome: { kind: 'refused' } });

	let authHeaders: Record<string, string>;
	try {
		authHeaders = await request.authenticator.headers();
	} catch (error) {
		return finish(tokenFailure(error));
	}

	let result = await send(request, authHeaders);
	if (result.responseCode === 401 && request.authenticator.renewAfterUnauthorized(authHeaders)) {
		// A token can be revoked or expire early: one fresh token before the attempt counts as failed.
		try {
			authHeaders = await request.authenticator.headers();
		} catch (error) {
			return finish(tokenFailure(error));
		}
		result = await send(request, authHeaders);
	}
	return finish(result);
}

/** checkUrl's verdict per policy object and URL: a fan-out asks it once per endpoint, not per attempt. */
const verdicts = new WeakMap<UrlPolicy, Map<string, string | undefined>>();

function staticRefusal(url: string, policy: UrlPolicy): string | undefined {
	let forPolicy = verdicts.get(policy);
	if (!forPolicy) verdicts.set(policy, (forPolicy = new Map()));
	if (forPolicy.has(url)) return forPolicy.get(url);
	let verdict: string | undefined;
	try {
		checkUrl(url, policy);
	} catch (error) {
		// checkUrl throws only UrlPolicyError.
		verdict = (error as Error).message;
	}
	if (forPolicy.size >= 1000) forPolicy.clear();
	forPolicy.set(url, verdict);
	return verdict;
}

function tokenFailure(error: unknown): Omit<AttemptResult, 'attemptedAt' | 'durationMs'> {
	if (error instanceof TokenError) return { error: error.message, outcome: { kind: 'token', statusCode: error.statusCode } };
	throw error;
}

type SendResult = Omit<AttemptResult, 'attemptedAt' | 'durationMs'>;

async function send(request: AttemptRequest, authHeaders: Record<string, string>): Promise<SendResult> {
	const timestamp = Math.floor(Date.now() / 1000);
	const headers: Record<string, string> = {
		...authHeaders,
		'content-type': 'application/json',
		'user-agent': userAgent,
		'webhook-id': request.webhookId,
		'webhook-timestamp': String(timestamp),
	};
	if (request.signingSecrets.length > 0) {
		headers['webhook-signature'] = sign(request.signingSecrets, request.webhookId, timestamp, request.body);
	}

	const secrets = secretsOf(request);
	try {
		// One deadline for the whole attempt, reading the response included (the adapter keeps it): a
		// receiver that trickles its answer must not hold a delivery longer than the timeout.
		// request() rather than post(): post() merges its arguments into a config once more.
		const response = await transportFor(request.urlPolicy, request.maxSocketsPerHost).request<WireBody>({
			method: 'post',
			url: request.url,
			data: request.body,
			headers,
			wire: new WireSettings(request.responseBodyLimit + redactionMargin(secrets), request.responseReadLimit, request.timeoutMs, request.proxy),
		});
		const retryAfter = response.headers['retry-after'];
		return {
			responseCode: response.status,
			responseBody: describeBody(response.data, request.responseBodyLimit, request.responseReadLimit, secrets),
			error: response.status >= 200 && response.status < 300 ? undefined : `Receiver answered ${response.status}`,
			outcome: { kind: 'response', statusCode: response.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined },
		};
	} catch (error) {
		if (findCause(error, DeadlineError)) {
			return { error: `No answer within ${request.timeoutMs} ms`, outcome: { kind: 'timeout' } };
		}
		const code = isAxiosError(error) ? error.code : (error as NodeJS.ErrnoException)?.code;
		const refusal = findCause(error, UrlPolicyError);
		if (refusal) return { error: refusal.message, outcome: { kind: 'refused' } };
		return { error: describeNetworkError(error, code), outcome: { kind: 'network', code } };
	}
}

/** What a receiver must never get back into our log: credentials, tokens and the signing key (with and without its prefix). */
function secretsOf(request: AttemptRequest): string[] {
	return [...request.authenticator.secretValues, ...request.signingSecrets.flatMap((secret) => [secret, secret.replace(/^whsec_/, '')])];
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
	for (let current = error, depth = 0; current && depth < 4; depth++) {
		if (current instanceof type) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Only the code and the message: axios errors also carry the request config and its headers. */
function describeNetworkError(error: unknown, code: string | undefined): string {
	const message = (error as Error)?.message ?? 'unknown error';
	return `Request failed: ${code && !message.includes(code) ? `${code} ` : ''}${message}`.slice(0, 500);
}

/**
 * The kept text, redacted before it is cut (the wire kept the body limit plus the longest secret
 * form past it), with how much more there was when the answer was longer.
 */
function describeBody(body: WireBody, keep: number, max: number, secrets: string[]): string {
	const text = redactThenCut(body.text, secrets, keep);
	if (body.bytes <= keep) return text;
	return `${text}... [truncated, ${body.overLimit ? `more than ${max}` : body.bytes} bytes]`;
}
