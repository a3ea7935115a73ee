import { secretMatches } from '../auth/secretHeader';
import { decodeSigningSecret, SignatureError, verify } from '../auth/signature';

/** How a trigger checks who sent a request. The secrets come from the package's credential types. */
export type InboundAuth =
	| { mode: 'none' }
	| { mode: 'secretHeader'; headerName: string; secret: string }
	| { mode: 'signature'; secrets: string[]; toleranceSeconds?: number };

export type HeaderBag = Record<string, string | string[] | undefined>;

/** One header's value, by case-insensitive name; repeated headers are joined as Node does. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const lower = name.toLowerCase();
	let value = headers[lower];
	if (value === undefined) {
		const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
		value = key === undefined ? undefined : headers[key];
	}
	return Array.isArray(value) ? value.join(', ') : value;
}

export type AuthOutcome = { ok: true } | { ok: false; statusCode: 401 | 500; message: string };

/** Problems with the node's own settings; reported to the sender as a 500 without details. */
export class InboundConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InboundConfigError';
	}
}

/** Fails early on settings that could never authenticate anyone, so they are not mistaken for "none". */
export function assertUsableAuth(auth: InboundAuth): void {
	if (auth.mode === 'secretHeader' && (!auth.secret || !auth.headerName)) {
		throw new InboundConfigError('The secret header credential has no header name or no secret');
	}
	if (auth.mode === 'signature') {
		if (auth.secrets.length === 0) throw new InboundConfigError('The signing secret credential has no secret');
		for (const secret of auth.secrets) decodeSigningSecret(secret);
	}
}

export function authenticate(auth: InboundAuth, headers: HeaderBag, rawBody: Buffer, now: Date): AuthOutcome {
	try {
		assertUsableAuth(auth);
	} catch {
		// The reason goes to the n8n log via the node, never to the sender.
		return { ok: false, statusCode: 500, message: 'The trigger is not configured correctly' };
	}
	if (auth.mode === 'none') return { ok: true };
	if (auth.mode === 'secretHeader') {
		const received = headerValue(headers, auth.headerName);
		if (received === undefined) return { ok: false, statusCode: 401, message: `Missing the ${auth.headerName.toLowerCase()} header` };
		return secretMatches(received, auth.secret)
			? { ok: true }
			: { ok: false, statusCode: 401, message: `The ${auth.headerName.toLowerCase()} header does not match` };
	}
	try {
		// Over the raw bytes as received, so nothing is re-encoded or re-serialised on the way.
		verify({
			webhookId: headerValue(headers, 'webhook-id') ?? headerValue(headers, 'svix-id'),
			timestamp: headerValue(headers, 'webhook-timestamp') ?? headerValue(headers, 'svix-timestamp'),
			signatureHeader: headerValue(headers, 'webhook-signature') ?? headerValue(headers, 'svix-signature'),
			body: rawBody,
			secrets: auth.secrets,
			toleranceSeconds: auth.toleranceSeconds,
			now,
		});
		return { ok: true };
	} catch (error) {
		const message = error instanceof SignatureError ? error.message : 'Signature verification failed';
		return { ok: false, statusCode: 401, message };
	}
}
