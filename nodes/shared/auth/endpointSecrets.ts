import { randomBytes } from 'node:crypto';

import { openSealed, seal, type SealingKeys } from '../security/sealing';
import { decodeSigningSecret, SECRET_PREFIX } from './signature';
import { secretHeaders, HeaderConfigError } from './secretHeader';

/**
 * The secrets an endpoint row carries itself, as they are given (write-only) and sealed.
 *
 * - `signingSecret` column: the endpoint's own signing secret(s), bound to the endpoint's id. It is
 *   never sent anywhere (only signatures are), so it survives a change of URL.
 * - `secrets` column: what goes over the wire (secret header, additional headers, OAuth2 client),
 *   bound to the endpoint's id and its URL's host: re-pointing a row at another host needs the
 *   secrets to be entered again, so nobody who can edit rows can collect them.
 * - `secretsHint` column: what may be shown (names, URLs, the last 4 characters of each secret).
 */
export interface EndpointAuthSecrets {
	secretHeader?: { name: string; value: string };
	headers?: Array<{ name: string; value: string }>;
	oauth2?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string; authentication?: 'header' | 'body' };
}

export interface EndpointSigning {
	current: string;
	/** The secret being rotated out: it signs too until `previousUntil`. */
	previous?: string;
	previousUntil?: string;
}

/** How long a rotated-out signing secret keeps signing by default (Svix keeps 24 hours). */
export const ROTATION_OVERLAP_HOURS = 24;

export const newEndpointSigningSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).hostname.toLowerCase() : '');
export const signingContext = (endpointId: number | string) => `endpoint:${endpointId}:signing`;
export const authContext = (endpointId: number | string, url: string) => `endpoint:${endpointId}:auth:${hostOf(url)}`;

export const sealSigning = (signing: EndpointSigning, keys: SealingKeys, endpointId: number | string) => seal(JSON.stringify(signing), keys, signingContext(endpointId));
export const sealAuth = (secrets: EndpointAuthSecrets, keys: SealingKeys, endpointId: number | string, url: string) =>
	seal(JSON.stringify(secrets), keys, authContext(endpointId, url));

export function openSigning(sealed: string, keys: SealingKeys, endpointId: number | string): EndpointSigning {
	return JSON.parse(openSealed(sealed, keys, signingContext(endpointId))) as EndpointSigning;
}
export function openAuth(sealed: string, keys: SealingKeys, endpointId: number | string, url: string): EndpointAuthSecrets {
	return JSON.parse(openSealed(sealed, keys, authContext(endpointId, url))) as EndpointAuthSecrets;
}

/** The secrets that sign now: the current one first, the previous one while its overlap lasts. */
export function signingSecretsAt(signing: EndpointSigning, now: Date = new Date()): string[] {
	const keepPrevious = signing.previous && signing.previousUntil && Date.parse(signing.previousUntil) > now.getTime();
	return keepPrevious ? [signing.current, signing.previous!] : [signing.current];
}

export function rotateSigning(signing: EndpointSigning | undefined, overlapHours: number, now: Date = new Date()): EndpointSigning {
	const current = newEndpointSigningSecret();
	if (!signing) return { current };
	return { current, previous: signing.current, previousUntil: new Date(now.getTime() + overlapHours * 3_600_000).toISOString() };
}

const text = (value: unknown, what: string, max: number): string => {
	if (typeof value !== 'string') throw new HeaderConfigError(`${what} must be text`);
	const trimmed = value.trim();
	if (trimmed.length > max) throw new HeaderConfigError(`${what} is longer than ${max} characters`);
	return trimmed;
};

/**
 * Reads what a person entered (the page's API or a workflow item): validates header names and
 * values the way the node sends them, and the OAuth2 client's fields. Errors name the field, never a value.
 */
export function parseAuthSecrets(input: unknown): EndpointAuthSecrets {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new HeaderConfigError('secrets must be an object');
	const raw = input as Record<string, unknown>;
	const out: EndpointAuthSecrets = {};
	if (raw.secretHeader !== undefined && raw.secretHeader !== null) {
		const header = raw.secretHeader as Record<string, unknown>;
		out.secretHeader = { name: text(header?.name, 'secretHeader.name', 128), value: text(header?.value, 'secretHeader.value', 4096) };
	}
	if (raw.headers !== undefined && raw.headers !== null) {
		if (!Array.isArray(raw.headers) || raw.headers.length > 20) throw new HeaderConfigError('headers must be a list of at most 20 { name, value }');
		out.headers = raw.headers.map((header: Record<string, unknown>, i) => ({ name: text(header?.name, `headers[${i}].name`, 128), value: text(header?.value, `headers[${i}].value`, 4096) }));
	}
	if (raw.oauth2 !== undefined && raw.oauth2 !== null) {
		const o = raw.oauth2 as Record<string, unknown>;
		const tokenUrl = text(o?.tokenUrl, 'oauth2.tokenUrl', 2048);
		if (!URL.canParse(tokenUrl)) throw new HeaderConfigError('oauth2.tokenUrl is not a valid URL');
		const oauth2 = { tokenUrl, clientId: text(o.clientId, 'oauth2.clientId', 512), clientSecret: text(o.clientSecret, 'oauth2.clientSecret', 4096) };
		if (!oauth2.clientId || !oauth2.clientSecret) throw new HeaderConfigError('oauth2 needs clientId and clientSecret');
		const scope = o.scope === undefined || o.scope === null ? '' : text(o.scope, 'oauth2.scope', 1000);
		out.oauth2 = { ...oauth2, ...(scope ? { scope } : {}), authentication: o.authentication === 'body' ? 'body' : 'header' };
	}
	headersOf(out); // the same checks as when sending: no reserved names, no line breaks
	return out;
}

/** The static headers an endpoint's secrets add to each request (secret header first). */
export function headersOf(secrets: EndpointAuthSecrets): Record<string, string> {
	const list = [...(secrets.secretHeader ? [secrets.secretHeader] : []), ...(secrets.headers ?? [])];
	if (list.length === 0) return {};
	const [first, ...rest] = list;
	return secretHeaders({ headerName: first.name, secret: first.value, additionalHeaders: rest });
}

export const lastFour = (value: string) => (value.length >= 12 ? `…${value.slice(-4)}` : '…');

/** What the page may show of an endpoint's secrets: names, URLs and the last 4 characters of long secrets. */
export function secretsHint(signing: EndpointSigning | undefined, secrets: EndpointAuthSecrets | undefined): Record<string, unknown> {
	return {
		...(signing ? { signingSecret: lastFour(signing.current), ...(signing.previousUntil ? { previousSigningSecretUntil: signing.previousUntil } : {}) } : {}),
		...(secrets?.secretHeader ? { secretHeader: { name: secrets.secretHeader.name, value: lastFour(secrets.secretHeader.value) } } : {}),
		...(secrets?.headers?.length ? { headers: secrets.headers.map((header) => ({ name: header.name, value: lastFour(header.value) })) } : {}),
		...(secrets?.oauth2
			? { oauth2: { tokenUrl: secrets.oauth2.tokenUrl, clientId: secrets.oauth2.clientId, scope: secrets.oauth2.scope ?? '', clientSecret: lastFour(secrets.oauth2.clientSecret) } }
			: {}),
	};
}

/** Checks a signing secret the way signing will use it. */
export function checkSigning(signing: EndpointSigning): EndpointSigning {
	signingSecretsAt(signing, new Date(0)).forEach((secret) => decodeSigningSecret(secret));
	return signing;
}
