import { z } from 'zod';

import { authenticationModes } from './endpoint';
import type { DeliveryStatus, PreviousState } from './delivery';
import { parseEnvelope } from '../event/envelope';

/**
 * A delivery to send again: an outbox row (pending or retrying) or a delivery log row that a person
 * wants resent, with the event's body. The body is sent byte for byte as it was, under the same
 * delivery id. Everything else of the row is carried through untouched, for the row it updates.
 */
export interface Continuation {
	deliveryId: string;
	eventId: string;
	eventType: string;
	resourceId: string | null;
	channels: string[];
	endpoint: { key: string; name: string; url: string; authentication?: (typeof authenticationModes)[number] };
	payload: string;
	previous: PreviousState;
	/** The row as read, normalised: what the outcome is written onto. */
	row: ContinuationRow;
}

const count = z
	.union([z.number(), z.string().regex(/^\d+$/), z.null(), z.undefined()])
	.transform((value) => (value === null || value === undefined ? 0 : Number(value)))
	.pipe(z.number().int().min(0).max(1_000_000));

const optionalText = z.union([z.string(), z.null(), z.undefined()]).transform((value) => value || null);
const optionalDate = z.union([z.string(), z.date(), z.null(), z.undefined()]).transform((value) => (value instanceof Date ? value.toISOString() : value || null));
const optionalId = z
	.union([z.number(), z.string().regex(/^\d+$/), z.null(), z.undefined()])
	.transform((value) => (value === null || value === undefined || value === '' ? null : Number(value)));

const rowSchema = z
	.object({
		id: optionalId,
		deliveryId: z.string({ required_error: 'is required' }).regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be a delivery id'),
		payload: z.union([z.string().min(2, 'is empty'), z.record(z.unknown()).transform((value) => JSON.stringify(value))], {
			errorMap: () => ({ message: 'is required: the body as first sent (from the event record)' }),
		}),
		eventRow: optionalId,
		endpointId: optionalId,
		endpointUrl: z.union([z.string(), z.null(), z.undefined()]).transform((value) => (value ?? '').trim()).pipe(z.string().max(2048)),
		endpointName: optionalText,
		endpointAuthentication: z.union([z.enum(authenticationModes), z.literal(''), z.null(), z.undefined()]).transform((value) => value || undefined),
		status: z.union([z.enum(['pending', 'retrying', 'sent', 'failed']), z.null(), z.undefined()]).transform((value) => value ?? 'pending'),
		attempts: count,
		retryRound: count,
		version: count,
		firstAttemptAt: optionalDate,
		lastAttemptAt: optionalDate,
		nextAttemptAt: optionalDate,
		dueAt: optionalDate,
		claim: optionalText,
		error: optionalText,
		attemptLog: optionalText,
		responseCode: z.union([z.number(), z.null(), z.undefined()]).transform((value) => value ?? null),
	})
	.passthrough();

export type ContinuationRow = z.infer<typeof rowSchema>;
export type ContinuationParseResult = { ok: true; continuation: Continuation } | { ok: false; error: string };

export function parseContinuation(row: unknown): ContinuationParseResult {
	const result = rowSchema.safeParse(row);
	if (!result.success) {
		const detail = result.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; ');
		return { ok: false, error: `Not a delivery to continue: ${detail}` };
	}
	const parsed = result.data;
	let envelopeJson: unknown;
	try {
		envelopeJson = JSON.parse(parsed.payload);
	} catch {
		return { ok: false, error: 'Not a delivery to continue: payload is not valid JSON' };
	}
	const envelope = parseEnvelope(envelopeJson);
	if (!envelope.ok || !(envelopeJson as { id?: unknown }).id) {
		return { ok: false, error: 'Not a delivery to continue: payload is not an event envelope with an id' };
	}
	const event = envelope.event;
	const url = parsed.endpointUrl;
	return {
		ok: true,
		continuation: {
			deliveryId: parsed.deliveryId,
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId ?? null,
			channels: event.channels ?? [],
			endpoint: { key: parsed.endpointId ? `id:${parsed.endpointId}` : `url:${url}`, name: parsed.endpointName ?? url, url, authentication: parsed.endpointAuthentication },
			payload: parsed.payload,
			previous: {
				attempts: parsed.attempts,
				firstAttemptAt: parsed.firstAttemptAt,
				lastAttemptAt: parsed.lastAttemptAt,
				retryRound: parsed.retryRound,
				status: parsed.status as DeliveryStatus,
				nextAttemptAt: parsed.nextAttemptAt,
			},
			row: parsed,
		},
	};
}
