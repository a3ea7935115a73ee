import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The event envelope: the body of every webhook this package sends, and what the triggers emit.
 * Standard Webhooks' payload shape (`type`, `timestamp`, `data`) plus the fields the source systems
 * carry: the event id, who caused it, which resource it is about, and the channels it belongs to.
 */
export interface WebhookEvent {
	id: string;
	type: string;
	timestamp: string;
	userId?: string;
	resourceId?: string;
	channels?: string[];
	data: Record<string, unknown>;
}

/** Ids and types are used in headers, log rows and filters: keep them printable and short. */
const idPattern = /^[A-Za-z0-9_.:-]{1,128}$/;
export const eventTypePattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const channelPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

export const eventEnvelopeSchema = z
	.object({
		id: z.string().regex(idPattern, 'must be 1-128 letters, digits or _ . : -').optional(),
		type: z.string().max(128).regex(eventTypePattern, 'must look like "invoice.activated"'),
		timestamp: z
			.string()
			.refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date-time')
			.optional(),
		userId: z.string().max(256).optional().nullable(),
		resourceId: z.string().max(256).optional().nullable(),
		channels: z.array(z.string().regex(channelPattern, 'must be 1-128 letters, digits or _ . : -')).max(100).optional(),
		data: z.record(z.unknown()),
	})
	.passthrough();

export function newEventId(): string {
	return `evt_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Turns a validated envelope-like object into a WebhookEvent: keeps the source's id when it has
 * one (receivers dedupe on it), assigns one when not, and normalises the timestamp to ISO form.
 */
export function toWebhookEvent(input: z.infer<typeof eventEnvelopeSchema>, now: Date = new Date()): WebhookEvent {
	// Fields in the documented order: the body receivers see is the same whatever the source sent.
	return {
		id: input.id ?? newEventId(),
		type: input.type,
		timestamp: new Date(input.timestamp ?? now.toISOString()).toISOString(),
		...(input.userId ? { userId: input.userId } : {}),
		...(input.resourceId ? { resourceId: input.resourceId } : {}),
		...(input.channels && input.channels.length > 0 ? { channels: [...new Set(input.channels)] } : {}),
		data: input.data,
	};
}

export type EnvelopeParseResult =
	| { ok: true; event: WebhookEvent }
	| { ok: false; issues: Array<{ path: string; message: string }> };

export function parseEnvelope(input: unknown, now?: Date): EnvelopeParseResult {
	const result = eventEnvelopeSchema.safeParse(input);
	if (!result.success) return { ok: false, issues: formatIssues(result.error) };
	return { ok: true, event: toWebhookEvent(result.data, now) };
}

export function formatIssues(error: z.ZodError): Array<{ path: string; message: string }> {
	return error.issues.map((issue) => ({
		path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
		message: issue.message,
	}));
}
