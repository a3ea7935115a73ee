import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { decodeSigningSecret, sign } from '../../nodes/shared/auth/signature';
import { findEventType, sampleEvent, type EventSystem } from '../../nodes/shared/event/catalog';
import { TRIGGER_WEBHOOK_ID } from '../../starter/dispatch';
import { TRIGGER_PATHS } from './urls';
import { PACKAGE } from '../../starter/build';

/**
 * Posting to a trigger the way a source system does: a JSON body, signed with Standard Webhooks
 * headers. The secret is always given by the person running the command (--secret or
 * --secret-file); nothing falls back to a secrets file of some other instance.
 */

export class UsageError extends Error {}

/** The secret from --secret, or from --secret-file (a bare whsec_ secret, or setup's secrets file: its sourceSigningSecret). */
export function readSecret(options: { secret?: string; secretFile?: string }): string {
	if (options.secret && options.secretFile) throw new UsageError('give --secret or --secret-file, not both');
	let secret = options.secret;
	if (options.secretFile) {
		let text: string;
		try {
			text = readFileSync(options.secretFile, 'utf8').trim();
		} catch {
			throw new UsageError(`cannot read the secret file ${options.secretFile}`);
		}
		secret = text.startsWith('{') ? secretFromJson(text) : text;
	}
	if (!secret) {
		throw new UsageError('a signing secret is needed: --secret-file <file> (or --secret <whsec_...>), the secret of the trigger\'s "Source Signing Secret" credential');
	}
	try {
		decodeSigningSecret(secret);
	} catch (error) {
		// The message names what is wrong with the secret, never the secret.
		throw new UsageError(`the signing secret is not usable: ${(error as Error).message}`);
	}
	return secret;
}

function secretFromJson(text: string): string | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new UsageError('the secret file starts with { but is not JSON');
	}
	const value = (parsed as { sourceSigningSecret?: unknown } | null)?.sourceSigningSecret;
	if (typeof value !== 'string') throw new UsageError('the secret file is JSON without a "sourceSigningSecret"');
	return value;
}

export interface SignedPost {
	headers: Record<string, string>;
	body: string;
}

/** Standard Webhooks headers for a body; a fresh message id unless one is given. */
export function signPost(secret: string, body: string, options: { id?: string; now?: Date } = {}): SignedPost {
	const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
	const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
	return {
		headers: {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': sign([secret], id, timestamp, body),
		},
		body,
	};
}

/**
 * A catalog sample as a source would send it: a fresh id (the dispatch drops an id it has seen) and
 * the current time. `without` removes fields by dotted path under data ("order.orderNumber"), to
 * try lenient validation; `data` replaces the data (for a custom type, whose sample is in its table).
 */
export function sampleBody(type: string, options: { without?: string[]; data?: Record<string, unknown>; now?: Date } = {}): { body: string; system?: EventSystem } {
	const definition = findEventType(type);
	if (!definition && !options.data) throw new UsageError(`"${type}" is not a built-in event type; for a custom type give its data with --data-file`);
	const sample = definition ? sampleEvent(definition) : { type, data: {} as Record<string, unknown> };
	const data = structuredClone(options.data ?? sample.data);
	for (const path of options.without ?? []) removePath(data, path);
	const event = { ...sample, id: `evt_${randomBytes(12).toString('hex')}`, timestamp: (options.now ?? new Date()).toISOString(), data };
	return { body: JSON.stringify(event), system: definition?.system };
}

function removePath(data: Record<string, unknown>, path: string): void {
	const parts = path.replace(/^data\./, '').split('.');
	let target: unknown = data;
	for (const part of parts.slice(0, -1)) target = target && typeof target === 'object' ? (target as Record<string, unknown>)[part] : undefined;
	const last = parts[parts.length - 1];
	if (!target || typeof target !== 'object' || !Object.prototype.hasOwnProperty.call(target, last)) throw new UsageError(`the sample has no field ${path}`);
	delete (target as Record<string, unknown>)[last];
}

/** The production URL of a starter dispatch's trigger on an n8n, for a system. */
export function dispatchTriggerUrl(n8nUrl: string, system: EventSystem): string {
	const path = TRIGGER_PATHS[`${PACKAGE}.${system}EventTrigger`];
	return `${n8nUrl.replace(/\/+$/, '')}/webhook/${TRIGGER_WEBHOOK_ID[system]}/${path}`;
}

/** A shell-quoted curl command for the post. */
export function curlCommand(url: string, post: SignedPost): string {
	const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
	const headers = Object.entries(post.headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
	return ['curl -sS -X POST', quote(url), ...headers, `--data-binary ${quote(post.body)}`].join(' ');
}
