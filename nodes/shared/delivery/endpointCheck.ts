import { findEventType } from '../event/catalog';
import { checkUrl, UrlPolicyError, type UrlPolicy } from '../security/urlPolicy';
import { authenticationModes, endpointSchema } from './endpoint';

/**
 * Checks an endpoint row that a person is about to save (the activity page, a form, an import):
 * stricter than what delivery accepts, because a mistake caught here is a delivery that never fails.
 * Event types must be in the catalog, the URL must pass the same policy that delivery applies, and
 * the row that comes out is normalised into the `webhook_endpoints` columns.
 */
export interface EndpointRow {
	name: string;
	url: string;
	/** `*` or a comma-separated list of catalog event types. */
	eventTypes: string;
	/** Comma-separated; empty means every channel. */
	channels: string;
	active: boolean;
	authentication: (typeof authenticationModes)[number];
	description: string;
}

export type EndpointCheck = { valid: true; errors: []; endpoint: EndpointRow } | { valid: false; errors: string[]; endpoint?: undefined };

const channelPattern = /^[A-Za-z0-9_.:@-]{1,200}$/;
const hasControlCharacters = (text: string) => [...text].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127);

/** `customTypes`: the custom event types (webhook_event_types), valid beside the built-in ones. */
export function checkEndpoint(row: unknown, policy: UrlPolicy, customTypes: readonly string[] = []): EndpointCheck {
	if (row === null || typeof row !== 'object' || Array.isArray(row)) return { valid: false, errors: ['The endpoint must be an object'] };
	const input = row as Record<string, unknown>;
	const errors: string[] = [];

	const name = typeof input.name === 'string' ? input.name.trim() : '';
	if (!name) errors.push('name is required');
	else if (name.length > 200) errors.push('name is longer than 200 characters');
	else if (hasControlCharacters(name)) errors.push('name contains control characters');

	const description = input.description === undefined || input.description === null ? '' : input.description;
	if (typeof description !== 'string') errors.push('description must be text');
	else if (description.length > 2000) errors.push('description is longer than 2,000 characters');

	const parsed = endpointSchema.safeParse({ ...input, name: name || 'unnamed' });
	if (!parsed.success) {
		for (const issue of parsed.error.issues) errors.push(`${issue.path.join('.') || 'endpoint'} ${issue.message}`);
		return { valid: false, errors };
	}
	const endpoint = parsed.data;

	const urlProblem = problemWithUrl(endpoint.url, policy);
	if (urlProblem) errors.push(`url: ${urlProblem}`);

	const unknownTypes = endpoint.eventTypes.filter((type) => type !== '*' && !findEventType(type) && !customTypes.includes(type));
	if (unknownTypes.length > 0) {
		errors.push(`eventTypes: ${unknownTypes.map((type) => `"${clip(type)}"`).join(', ')} ${unknownTypes.length === 1 ? 'is not an event type' : 'are not event types'} of the catalog`);
	}
	const badChannels = endpoint.channels.filter((channel) => !channelPattern.test(channel));
	if (badChannels.length > 0) errors.push(`channels: "${clip(badChannels[0])}" is not a channel (letters, digits and _ . : @ - only)`);

	if (errors.length > 0) return { valid: false, errors };
	return {
		valid: true,
		errors: [],
		endpoint: {
			name,
			url: endpoint.url,
			// `*` with other types is still everything.
			eventTypes: endpoint.eventTypes.includes('*') ? '*' : [...new Set(endpoint.eventTypes)].join(', '),
			channels: [...new Set(endpoint.channels)].join(', '),
			active: endpoint.active,
			authentication: endpoint.authentication ?? 'none',
			description: (description as string).trim(),
		},
	};
}

function problemWithUrl(url: string, policy: UrlPolicy): string | undefined {
	try {
		checkUrl(url, policy);
		return undefined;
	} catch (error) {
		return error instanceof UrlPolicyError ? error.message : 'is not a URL that can be called';
	}
}

function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
