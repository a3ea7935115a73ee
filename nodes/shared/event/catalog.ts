import type { z } from 'zod';

import { eventEnvelopeSchema, toWebhookEvent, type WebhookEvent } from './envelope';
import { billingEventTypes } from './billing';
import { shippingEventTypes } from './shipping';
import { eventSystems, type EventData, type EventSystem, type EventTypeDefinition } from './types';

export type { EventData, EventSystem, EventTypeDefinition } from './types';
export { eventSystems } from './types';

/** Every event type the package knows, billing first, each system in the order of its product page. */
export const eventCatalog: readonly EventTypeDefinition[] = Object.freeze([...billingEventTypes, ...shippingEventTypes]);

const byType = new Map(eventCatalog.map((definition) => [definition.type, definition]));
if (byType.size !== eventCatalog.length) throw new Error('The event catalog lists a type twice');

export function findEventType(type: string): EventTypeDefinition | undefined {
	return byType.get(type);
}

export function eventTypesOf(system: EventSystem): EventTypeDefinition[] {
	return eventCatalog.filter((definition) => definition.system === system);
}

export function isEventSystem(value: unknown): value is EventSystem {
	return typeof value === 'string' && (eventSystems as readonly string[]).includes(value);
}

export const systemLabels: Record<EventSystem, string> = { billing: 'Billing', shipping: 'Shipping' };

// ---------------------------------------------------------------------------------------------
// Sample envelopes: what a trigger emits for the sample data, with stable ids and times so the
// README and pinned test data do not change from build to build.

const sampleTimestamp = '2025-01-01T12:00:00.000Z';
const sampleUserIds: Record<EventSystem, string> = { billing: '0054W00000B2HzoQAF', shipping: 'user_4821' };

export function sampleEvent(definition: EventTypeDefinition): WebhookEvent {
	const data = structuredClone(definition.sample);
	return toWebhookEvent({
		id: `evt_sample_${definition.type.replace(/\./g, '_')}`,
		type: definition.type,
		timestamp: sampleTimestamp,
		userId: sampleUserIds[definition.system],
		resourceId: definition.resourceId?.(data),
		channels: definition.sampleChannels,
		data,
	});
}

// ---------------------------------------------------------------------------------------------
// Validation of one event: the envelope first, then the data against its type's schema.

export interface EventIssue {
	/** Where the problem is, from the event's root: "data.invoice.id", "timestamp", "(root)". */
	path: string;
	message: string;
}

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export function issuesOf(error: z.ZodError, prefix: Array<string | number> = []): EventIssue[] {
	return error.issues.map((issue) => {
		const path = [...prefix, ...issue.path];
		return { path: path.length > 0 ? path.join('.') : '(root)', message: issue.message };
	});
}

export function parseEventEnvelope(input: unknown): { ok: true; envelope: EventEnvelope } | { ok: false; issues: EventIssue[] } {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		return { ok: false, issues: [{ path: '(root)', message: 'an event must be a JSON object' }] };
	}
	const result = eventEnvelopeSchema.safeParse(input);
	return result.success ? { ok: true, envelope: result.data } : { ok: false, issues: issuesOf(result.error) };
}

export function validateEventData(definition: EventTypeDefinition, data: unknown): EventIssue[] {
	const result = definition.schema.safeParse(data);
	return result.success ? [] : issuesOf(result.error, ['data']);
}

const channelPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The envelope the Deliver Webhook node sends: the source's id kept (receivers dedupe on it) or
 * `assignId()` when it has none, and resourceId / channels taken from the data when absent.
 */
export function normaliseEvent(
	envelope: EventEnvelope,
	definition: EventTypeDefinition | undefined,
	options: { now?: Date; assignId?: () => string | undefined } = {},
): WebhookEvent {
	const data = envelope.data as EventData;
	const channels =
		envelope.channels && envelope.channels.length > 0
			? envelope.channels
			: (definition?.channels?.(data) ?? []).filter((channel) => channelPattern.test(channel));
	return toWebhookEvent(
		{
			...envelope,
			id: envelope.id ?? options.assignId?.(),
			resourceId: envelope.resourceId ?? definition?.resourceId?.(data),
			channels,
		},
		options.now,
	);
}

export type EventValidation =
	| { ok: true; event: WebhookEvent; definition: EventTypeDefinition }
	| { ok: false; issues: EventIssue[] };

/** Validates a whole event against the catalog, optionally only the event types of one system. */
export function validateEvent(input: unknown, options: { system?: EventSystem; now?: Date } = {}): EventValidation {
	const parsed = parseEventEnvelope(input);
	if (!parsed.ok) return parsed;
	const definition = findEventType(parsed.envelope.type);
	if (!definition || (options.system && definition.system !== options.system)) {
		return { ok: false, issues: [{ path: 'type', message: unknownTypeMessage(parsed.envelope.type, options.system) }] };
	}
	const issues = validateEventData(definition, parsed.envelope.data);
	if (issues.length > 0) return { ok: false, issues };
	return { ok: true, event: normaliseEvent(parsed.envelope, definition, { now: options.now }), definition };
}

export function unknownTypeMessage(type: string, system?: EventSystem): string {
	return system ? `"${type}" is not a ${system} event type of the catalog` : `"${type}" is not an event type of the catalog`;
}
