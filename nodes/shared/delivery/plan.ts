import type { AuthenticatorFor } from './endpointAuth';
import type { Endpoint } from './endpoint';
import { endpointKey, matchEndpoint, parseEndpoint } from './endpoint';
import type { WebhookEvent } from '../event/envelope';
import { deliveryFields, deliveryIdFor, notAttemptedResult, type AttemptTrigger, type DeliveryJob, type DeliveryResult } from './delivery';
import { displayUrl } from '../security/displayUrl';

export type { AuthenticatorFor };

export interface PlanContext {
	authenticatorFor: AuthenticatorFor;
	signingSecrets: string[];
	includeSkipped: boolean;
	trigger: AttemptTrigger;
}

/** What becomes of one event: deliveries to run, and results known without sending anything. */
export interface EventPlan {
	jobs: DeliveryJob[];
	/** Skipped deliveries (when asked for) and deliveries that cannot be attempted, in endpoint order. */
	settled: DeliveryResult[];
}

export type ParsedEndpoints = Array<{ ok: true; endpoint: Endpoint } | { ok: false; error: string; row: unknown }>;

export function parseEndpoints(rows: unknown[]): ParsedEndpoints {
	return rows.map((row) => {
		const parsed = parseEndpoint(row);
		return parsed.ok ? parsed : { ...parsed, row };
	});
}

export function serializeEvent(event: WebhookEvent): string {
	return JSON.stringify(event);
}

export function planEvent(event: WebhookEvent, endpoints: ParsedEndpoints, context: PlanContext): EventPlan {
	const plan: EventPlan = { jobs: [], settled: [] };
	const payload = serializeEvent(event);
	for (const parsed of endpoints) {
		if (!parsed.ok) {
			// A broken endpoint row must show up in the log, not stop the other endpoints.
			const row = parsed.row as { name?: unknown; url?: unknown; id?: unknown } | null;
			const name = typeof row?.name === 'string' ? row.name : '(invalid endpoint)';
			const url = typeof row?.url === 'string' ? row.url : '';
			const endpoint = { key: `invalid:${String(row?.id ?? name)}:${url}`, name, url: displayUrl(url) };
			plan.settled.push(settled(event, payload, endpoint, 'failed', parsed.error));
			continue;
		}
		const endpoint = parsed.endpoint;
		const target = { key: endpointKey(endpoint), name: endpoint.name, url: endpoint.url, authentication: endpoint.authentication };
		const match = matchEndpoint(endpoint, event);
		if (!match.matches) {
			if (context.includeSkipped) plan.settled.push(settled(event, payload, target, 'skipped', match.reason));
			continue;
		}
		const authenticator = context.authenticatorFor(endpoint);
		if ('error' in authenticator) {
			plan.settled.push(settled(event, payload, target, 'failed', authenticator.error));
			continue;
		}
		plan.jobs.push({
			deliveryId: deliveryIdFor(event.id, target.key),
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId,
			channels: event.channels,
			endpoint: target,
			payload,
			authenticator,
			signingSecrets: authenticator.signingSecrets ?? context.signingSecrets,
			trigger: context.trigger,
		});
	}
	return plan;
}

function settled(
	event: WebhookEvent,
	payload: string,
	endpoint: DeliveryJob['endpoint'],
	status: 'failed' | 'skipped',
	error: string,
): DeliveryResult {
	return notAttempted(
		{
			deliveryId: deliveryIdFor(event.id, endpoint.key),
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId,
			channels: event.channels,
			endpoint,
			payload,
		},
		status,
		error,
	);
}

/** A delivery settled without an attempt: skipped, or failed before anything could be sent. */
export function notAttempted(
	fields: Parameters<typeof deliveryFields>[0],
	status: 'failed' | 'skipped' | 'pending',
	error: string | null,
	previous?: DeliveryJob['previous'],
): DeliveryResult {
	return notAttemptedResult({ ...fields, previous }, status, error);
}
