import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,<base64 HMAC-SHA256>` over
 * `${webhookId}.${timestamp}.${body}`, keyed with the bytes of a `whsec_<base64>` secret.
 * Verified by the unmodified `standardwebhooks` and `svix` libraries in the tests.
 */
export const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

export class SignatureError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SignatureError';
	}
}

/** Decodes a signing secret; the error never repeats the secret itself. */
export function decodeSigningSecret(secret: string): Buffer {
	const trimmed = secret.trim();
	const encoded = trimmed.startsWith(SECRET_PREFIX) ? trimmed.slice(SECRET_PREFIX.length) : trimmed;
	if (!base64Pattern.test(encoded) || encoded.length % 4 !== 0) {
		throw new SignatureError('Signing secret must be "whsec_" followed by base64');
	}
	const key = Buffer.from(encoded, 'base64');
	if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
		throw new SignatureError(`Signing secret must decode to ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes, not ${key.length}`);
	}
	return key;
}

/**
 * Decoded keys of the secrets in use, so a fan-out to many endpoints decodes and checks each
 * secret once rather than once per request. Bounded: secrets rotate, the cache must not grow.
 */
const keyCache = new Map<string, KeyObject>();

function signingKey(secret: string): KeyObject {
	let key = keyCache.get(secret);
	if (!key) {
		key = createSecretKey(decodeSigningSecret(secret));
		if (keyCache.size >= 64) keyCache.clear();
		keyCache.set(secret, key);
	}
	return key;
}

/** The body is hashed as given: a string as UTF-8, or the raw bytes a receiver got, never re-encoded. */
function hmac(key: Buffer | KeyObject, webhookId: string, timestampSeconds: number, body: string | Buffer): Buffer {
	return createHmac('sha256', key).update(`${webhookId}.${timestampSeconds}.`).update(body).digest();
}

/**
 * The `webhook-signature` header value. Several secrets (the current one first, then the one
 * being rotated out) give several space-separated signatures, so receivers on either verify.
 */
export function sign(secrets: string[], webhookId: string, timestampSeconds: number, body: string): string {
	if (secrets.length === 0) throw new SignatureError('At least one signing secret is needed');
	return secrets
		.map((secret) => `v1,${hmac(signingKey(secret), webhookId, timestampSeconds, body).toString('base64')}`)
		.join(' ');
}

export interface VerifyInput {
	webhookId: string | undefined;
	timestamp: string | undefined;
	signatureHeader: string | undefined;
	body: string | Buffer;
	secrets: string[];
	toleranceSeconds?: number;
	now?: Date;
}

/** Throws SignatureError with a reason a sender can act on; returns when any signature matches. */
export function verify(input: VerifyInput): void {
	const { webhookId, timestamp, signatureHeader, body } = input;
	if (!webhookId || !timestamp || !signatureHeader) {
		throw new SignatureError('Missing webhook-id, webhook-timestamp or webhook-signature header');
	}
	if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError('webhook-timestamp must be Unix seconds');
	const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
	const ts = Number(timestamp);
	if (nowSeconds - ts > tolerance) throw new SignatureError('webhook-timestamp is too old');
	if (ts - nowSeconds > tolerance) throw new SignatureError('webhook-timestamp is in the future');

	const candidates = signatureHeader
		.split(' ')
		.filter((part) => part.startsWith('v1,'))
		.map((part) => Buffer.from(part.slice(3), 'base64'));
	for (const secret of input.secrets) {
		const expected = hmac(decodeSigningSecret(secret), webhookId, ts, body);
		// Constant-time per comparison; lengths of HMAC-SHA256 outputs are public.
		if (candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
			return;
		}
	}
	throw new SignatureError('No matching signature');
}
