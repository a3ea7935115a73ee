import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Sealing of the secrets an endpoint row carries (its signing secret, secret header, OAuth2 client):
 * AES-256-GCM under a key held in an n8n credential, so a table holds only ciphertext. Each sealed
 * value is bound to a context (the endpoint and, for what is sent over the wire, its host) by the
 * additional authenticated data: a value copied to another row, or kept after the URL moved to
 * another host, does not open.
 *
 * Form: `sealed:v1:<key id>:<iv>:<ciphertext+tag>` (base64url). The key id is a hash prefix of the
 * key, so a credential that holds the current and the previous key (rotation) knows which to use.
 */
export const SEALED_PREFIX = 'sealed:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SealError';
	}
}

/** The keys of the Webhook Endpoint Secrets Key credential: the current one seals, both open. */
export interface SealingKeys {
	current: string;
	previous?: string;
}

/** A new key as the credential stores it: 32 random bytes, base64. */
export function newSealingKey(): string {
	return randomBytes(KEY_BYTES).toString('base64');
}

/** The key's bytes; the error never repeats the key. */
export function decodeSealingKey(text: string): Buffer {
	const trimmed = (text ?? '').trim();
	const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && trimmed.length % 4 === 0 ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
	if (key.length !== KEY_BYTES) throw new SealError(`The endpoint secrets key must be ${KEY_BYTES} bytes in base64 (44 characters)`);
	return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('base64url').slice(0, 8);

export function isSealed(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export function seal(plaintext: string, keys: SealingKeys, context: string): string {
	const key = decodeSealingKey(keys.current);
	const id = keyId(key);
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(`${id}\n${context}`, 'utf8'));
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `${SEALED_PREFIX}${id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
}

/** Opens a sealed value for its context; throws a SealError that names the problem, never a secret. */
export function openSealed(sealed: string, keys: SealingKeys, context: string): string {
	const parts = isSealed(sealed) ? sealed.slice(SEALED_PREFIX.length).split(':') : [];
	if (parts.length !== 3) throw new SealError('The value is not a sealed secret');
	const [id, ivText, bodyText] = parts;
	const key = [keys.current, keys.previous]
		.filter((candidate): candidate is string => !!candidate && candidate.trim() !== '')
		.map(decodeSealingKey)
		.find((candidate) => keyId(candidate) === id);
	if (!key) throw new SealError('The secret was sealed with a key the Webhook Endpoint Secrets Key credential does not hold');
	const iv = Buffer.from(ivText, 'base64url');
	const body = Buffer.from(bodyText, 'base64url');
	if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealError('The sealed secret is damaged');
	let opened: string | undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, iv);
		decipher.setAAD(Buffer.from(`${id}\n${context}`, 'utf8'));
		decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
		opened = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
	} catch {
		// the authentication tag did not match: reported below
	}
	if (opened === undefined) throw new SealError('The sealed secret was altered, or belongs to another endpoint or host');
	return opened;
}
