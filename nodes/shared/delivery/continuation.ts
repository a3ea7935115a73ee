import { z } from 'zod';

import { authenticationModes } from './endpoint';
import type { DeliveryStatus, PreviousState } from './delivery';
import { parseEnvelope } from './envelope';

/**
 * A delivery that an earlier run left `retrying` (or one a person wants resent), as the delivery
 * log row holds it. The payload is sent byte for byte as it was, under the same delivery id.
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
}

const count = z
	.union([z.number(), z.string().regex(/^\d+$/), z.null(), z.undefined()])
	.transform((value) => (value === null || value === undefined ? 0 : Number(value)))
	.pipe(z.number().int().min(0).max(1_000_000));

const optionalText = z.union([z.string(), z.null(), z.undefined()]).transform((value) => value || null);

const timestamp = z
	.union([z.string(), z.date(), z.null(), z.undefined()])
	.transform((value) => (value instanceof Date ? value.toISOString() : value || null));

const statuses = new Set<string>(['pending', 'sent', 'retrying', 'failed', 'skipped']);

const continuationSchema = z
	.object({
		deliveryId: z.string({ required_error: 'is required' }).regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be a delivery id'),
		payload: z.union([z.string().min(2, 'is empty'), z.record(z.unknown()).transform((value) => JSON.stringify(value))], {
			errorMap: () => ({ message: 'is required: the body as first sent' }),
		}),
		endpointUrl: z.string({ required_error: 'is required' }).trim().min(1, 'is required').max(2048),
		endpointName: optionalText,
		endpointAuthentication: z.union([z.enum(authenticationModes), z.literal(''), z.null(), z.undefined()]).transform((value) => value || undefined),
		attempts: count,
		retryRound: count,
		firstAttemptAt: timestamp,
		lastAttemptAt: timestamp,
		nextAttemptAt: timestamp,
		// The row's status, so that a failed resend can leave it as it was; unknown values count as absent.
		status: z.unknown().transform((value) => (typeof value === 'string' && statuses.has(value) ? (value as DeliveryStatus) : undefined)),
	})
	.passthrough();

export type ContinuationParseResult = { ok: true; continuation: Continuation } | { ok: false; error: string };

export function parseContinuation(row: unknown): ContinuationParseResult {
	const result = continuationSchema.safeParse(row);
	if (!result.success) {
		const detail = result.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; ');
		return { ok: false, error: `Not a delivery to continue: ${detail}` };
	}
	const row_ = result.data;
	let envelopeJson: unknown;
	try {
		envelopeJson = JSON.parse(row_.payload);
	} catch {
		return { ok: false, error: 'Not a delivery to continue: payload is not valid JSON' };
	}
	const envelope = parseEnvelope(envelopeJson);
	if (!envelope.ok || !(envelopeJson as { id?: unknown }).id) {
		return { ok: false, error: 'Not a delivery to continue: payload is not an event envelope with an id' };
	}
	const event = envelope.event;
	const name = row_.endpointName ?? row_.endpointUrl;
	return {
		ok: true,
		continuation: {
			deliveryId: row_.deliveryId,
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId ?? null,
			channels: event.channels ?? [],
			endpoint: { key: `url:${row_.endpointUrl}`, name, url: row_.endpointUrl, authentication: row_.endpointAuthentication },
			payload: row_.payload,
			previous: {
				attempts: row_.attempts,
				firstAttemptAt: row_.firstAttemptAt,
				lastAttemptAt: row_.lastAttemptAt,
				retryRound: row_.retryRound,
				status: row_.status,
				nextAttemptAt: row_.nextAttemptAt,
			},
		},
	};
}
