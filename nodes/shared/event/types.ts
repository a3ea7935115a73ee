import { z } from 'zod';

/** The source systems whose events the package knows. One trigger node per system. */
export type EventSystem = 'billing' | 'shipping';
export const eventSystems: readonly EventSystem[] = ['billing', 'shipping'];

export type EventData = Record<string, unknown>;

/**
 * One event type of the catalog. `schema` checks the event's `data` only; the envelope around it
 * (id, type, timestamp, userId, resourceId, channels) is the same for every type.
 */
export interface EventTypeDefinition {
	/** The exact type name, e.g. "invoice.activated". */
	type: string;
	/** The name people read, e.g. "Invoice Activated". */
	label: string;
	description: string;
	system: EventSystem;
	schema: z.ZodType<EventData, z.ZodTypeDef, unknown>;
	/** A realistic `data` payload; a test checks it against `schema`. */
	sample: EventData;
	/** The resource an event is about, used when the source sends no `resourceId`. */
	resourceId?: (data: EventData) => string | undefined;
	/** Channels taken from the data when the source sends none (e.g. a shipping order's channel). */
	channels?: (data: EventData) => string[];
	/** Channels shown in the sample envelope. */
	sampleChannels?: string[];
}

// Building blocks. Objects pass unknown fields through: sources add fields over time, and a
// receiver should not break on them. Known fields are checked strictly.
export const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();
export const id = z.string().min(1, 'must not be empty').max(256);
export const text = z.string().max(10_000);
export const amount = z.number().finite();
export const count = z.number().int().nonnegative();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code like "USD"');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code like "SE"');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2024-11-01"');
export const isoDateTime = z
	.string()
	.refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date-time');

/** A status field that must have one value for this event, compared without case, spaces or underscores. */
export function statusIs(...expected: string[]) {
	const normalise = (value: string) => value.toLowerCase().replace(/[\s_-]/g, '');
	const accepted = new Set(expected.map(normalise));
	return z.string().refine((value) => accepted.has(normalise(value)), `must be ${expected.map((e) => `"${e}"`).join(' or ')} for this event`);
}

/** Reads a string at a path of the data, for resourceId and channel derivations. */
export function stringAt(data: EventData, ...path: string[]): string | undefined {
	let value: unknown = data;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}
