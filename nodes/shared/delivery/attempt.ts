import type { Readable } from 'node:stream';
import { isAxiosError } from 'axios';

import type { Authenticator } from '../auth/authenticator';
import { TokenError } from '../auth/oauth2';
import { sign } from '../auth/signature';
import { UrlPolicyError, checkUrl, type UrlPolicy } from '../security/urlPolicy';
import { userAgent } from '../util/packageInfo';
import { redactionMargin, redactThenCut } from '../util/redact';
import { transportFor } from './transport';
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

	try {
		checkUrl(request.url, request.urlPolicy);
	} catch (error) {
		return finish({ error: (error as Error).message, outcome: { kind: 'refused' } });
	}

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

	// One deadline for the whole attempt, reading the response included: a receiver that trickles
	// its answer must not hold a delivery longer than the timeout.
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), request.timeoutMs);
	try {
		const response = await transportFor(request.urlPolicy, request.maxSocketsPerHost).post<Readable>(request.url, request.body, {
			headers,
			signal: controller.signal,
		});
		const responseBody = await readLimited(response.data, request.responseBodyLimit, request.responseReadLimit, secretsOf(request));
		const retryAfter = response.headers['retry-after'];
		return {
			responseCode: response.status,
			responseBody,
			error: response.status >= 200 && response.status < 300 ? undefined : `Receiver answered ${response.status}`,
			outcome: { kind: 'response', statusCode: response.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined },
		};
	} catch (error) {
		if (controller.signal.aborted) {
			return { error: `No answer within ${request.timeoutMs} ms`, outcome: { kind: 'timeout' } };
		}
		const refusal = findPolicyRefusal(error);
		if (refusal) return { error: refusal.message, outcome: { kind: 'refused' } };
		const code = isAxiosError(error) ? error.code : (error as NodeJS.ErrnoException)?.code;
		return { error: describeNetworkError(error, code), outcome: { kind: 'network', code } };
	} finally {
		clearTimeout(timer);
	}
}

/** What a receiver must never get back into our log: credentials, tokens and the signing key (with and without its prefix). */
function secretsOf(request: AttemptRequest): string[] {
	return [...request.authenticator.secretValues, ...request.signingSecrets.flatMap((secret) => [secret, secret.replace(/^whsec_/, '')])];
}

function findPolicyRefusal(error: unknown): UrlPolicyError | undefined {
	for (let current = error, depth = 0; current && depth < 4; depth++) {
		if (current instanceof UrlPolicyError) return current;
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
 * Keeps the first `keep` bytes, drains up to `max` so the connection can be reused, then stops.
 * Secrets are redacted before the cut, over the kept part plus the longest secret form past it.
 */
async function readLimited(stream: Readable, keep: number, max: number, secrets: string[]): Promise<string> {
	const window = keep + redactionMargin(secrets);
	const kept: Buffer[] = [];
	let keptBytes = 0;
	let total = 0;
	for await (const chunk of stream) {
		const buffer = chunk as Buffer;
		total += buffer.length;
		if (keptBytes < window) {
			const part = buffer.subarray(0, window - keptBytes);
			kept.push(part);
			keptBytes += part.length;
		}
		if (total > max) {
			stream.destroy();
			break;
		}
	}
	const text = redactThenCut(Buffer.concat(kept).toString('utf8'), secrets, keep);
	return total > keep ? `${text}... [truncated, ${total > max ? `more than ${max}` : total} bytes]` : text;
}
