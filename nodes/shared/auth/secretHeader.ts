import { createHash, timingSafeEqual } from 'node:crypto';

export const DEFAULT_SECRET_HEADER_NAME = 'x-webhook-secret';

/** Header names that the package sets itself and that a credential must not override. */
const reservedHeaders = new Set([
	'content-type',
	'content-length',
	'host',
	'user-agent',
	'webhook-id',
	'webhook-timestamp',
	'webhook-signature',
	'authorization',
	'transfer-encoding',
	'connection',
]);
const headerNamePattern = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

export interface SecretHeaderConfig {
	headerName: string;
	secret: string;
	additionalHeaders?: Array<{ name: string; value: string }>;
}

export class HeaderConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HeaderConfigError';
	}
}

/** Validates names and values (no CR/LF smuggling) and returns lower-cased header pairs. */
export function secretHeaders(config: SecretHeaderConfig): Record<string, string> {
	const headers: Record<string, string> = {};
	const add = (name: string, value: string, what: string) => {
		const lower = name.trim().toLowerCase();
		if (!headerNamePattern.test(lower)) throw new HeaderConfigError(`${what} has an invalid header name "${name}"`);
		if (reservedHeaders.has(lower)) throw new HeaderConfigError(`${what} may not set the reserved header "${lower}"`);
		if (/[\r\n\0]/.test(value)) throw new HeaderConfigError(`${what} "${lower}" has a line break or NUL in its value`);
		headers[lower] = value;
	};
	if (!config.secret) throw new HeaderConfigError('The secret header value is empty');
	add(config.headerName || DEFAULT_SECRET_HEADER_NAME, config.secret, 'Secret header');
	for (const extra of config.additionalHeaders ?? []) add(extra.name, extra.value, 'Additional header');
	return headers;
}

/** Constant-time check of a received secret; hashing first hides the expected length too. */
export function secretMatches(received: string | undefined, expected: string): boolean {
	if (typeof received !== 'string' || expected.length === 0) return false;
	const a = createHash('sha256').update(received).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}
