import { z } from 'zod';

import type { WebhookEvent } from '../event/envelope';

export const authenticationModes = ['none', 'secretHeader', 'oauth2'] as const;
export type EndpointAuthentication = (typeof authenticationModes)[number];

/** An endpoint: where events of the subscribed types (and channels) are delivered. */
export interface Endpoint {
	id?: string;
	name: string;
	url: string;
	active: boolean;
	/** Subscribed event types; `*` subscribes to all. */
	eventTypes: string[];
	/** Empty: every channel. Otherwise the event must carry one of these (e.g. `client_<id>`). */
	channels: string[];
	/** Which of the node's credentials to use; only read when the node authenticates per endpoint. */
	authentication?: EndpointAuthentication;
	/** The endpoint's own secrets, sealed (see auth/endpointSecrets): absent when it has none. */
	sealed?: SealedSecrets;
}

/** The sealed columns of an endpoint row. */
export interface SealedSecrets {
	signingSecret?: string;
	secrets?: string;
}

const sealedOf = (row: { signingSecret?: unknown; secrets?: unknown }): SealedSecrets | undefined => {
	const sealed: SealedSecrets = {};
	if (typeof row.signingSecret === 'string' && row.signingSecret) sealed.signingSecret = row.signingSecret;
	if (typeof row.secrets === 'string' && row.secrets) sealed.secrets = row.secrets;
	return sealed.signingSecret || sealed.secrets ? sealed : undefined;
};

/** Data-table cells hold strings: accept a JSON array, a comma/space separated list or an array. */
const listField = z
	.union([z.array(z.string()), z.string(), z.null(), z.undefined()])
	.transform((value, ctx) => {
		if (value === null || value === undefined) return [];
		if (Array.isArray(value)) return value.map((entry) => entry.trim()).filter(Boolean);
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string')) {
					return parsed.map((entry: string) => entry.trim()).filter(Boolean);
				}
			} catch {
				// fall through to the error below
			}
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON array of strings' });
			return z.NEVER;
		}
		return text.split(/[\s,]+/).filter(Boolean);
	});

const activeField = z.union([z.boolean(), z.literal('true'), z.literal('false'), z.literal(1), z.literal(0), z.null(), z.undefined()])
	.transform((value) => value === true || value === 'true' || value === 1 || value === undefined || value === null);

export const endpointSchema = z
	.object({
		id: z.union([z.string(), z.number()]).optional().nullable().transform((value) => (value === null || value === undefined ? undefined : String(value))),
		name: z.string().trim().max(200).optional().nullable(),
		url: z.string({ required_error: 'is required' }).trim().min(1, 'is required').max(2048),
		active: activeField,
		eventTypes: listField,
		channels: listField,
		authentication: z
			.union([z.enum(authenticationModes), z.literal(''), z.null(), z.undefined()])
			.transform((value) => (value ? value : undefined)),
	})
	.passthrough()
	.transform((row): Endpoint => ({
		id: row.id,
		name: row.name || row.url,
		url: row.url,
		active: row.active,
		eventTypes: row.eventTypes.length > 0 ? row.eventTypes : ['*'],
		channels: row.channels,
		authentication: row.authentication,
		...(sealedOf(row as { signingSecret?: unknown }) ? { sealed: sealedOf(row as { signingSecret?: unknown }) } : {}),
	}));

export type EndpointParseResult = { ok: true; endpoint: Endpoint } | { ok: false; error: string };

export function parseEndpoint(row: unknown): EndpointParseResult {
	const result = endpointSchema.safeParse(row);
	if (result.success) return { ok: true, endpoint: result.data };
	const detail = result.error.issues.map((issue) => `${issue.path.join('.') || 'endpoint'} ${issue.message}`).join('; ');
	return { ok: false, error: `Invalid endpoint: ${detail}` };
}

export type MatchResult = { matches: true } | { matches: false; reason: string };

export function matchEndpoint(endpoint: Endpoint, event: WebhookEvent): MatchResult {
	if (!endpoint.active) return { matches: false, reason: 'endpoint is inactive' };
	if (!endpoint.eventTypes.includes('*') && !endpoint.eventTypes.includes(event.type)) {
		return { matches: false, reason: `endpoint is not subscribed to ${event.type}` };
	}
	if (endpoint.channels.length > 0) {
		const channels = event.channels ?? [];
		if (!channels.some((channel) => endpoint.channels.includes(channel))) {
			return { matches: false, reason: 'event carries none of the endpoint\'s channels' };
		}
	}
	return { matches: true };
}

/** What makes an endpoint the same endpoint across edits: its row id, else its name, else its URL. */
export function endpointKey(endpoint: Pick<Endpoint, 'id' | 'name' | 'url'>): string {
	return endpoint.id ? `id:${endpoint.id}` : endpoint.name ? `name:${endpoint.name}` : `url:${endpoint.url}`;
}
