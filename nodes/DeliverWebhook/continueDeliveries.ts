import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { Dispatcher, notAttemptedResult, type AttemptTrigger, type DeliveryJob, type DeliveryResult } from '../shared/delivery/delivery';
import { parseContinuation, type Continuation } from '../shared/delivery/continuation';
import { parseEndpoint, type Endpoint } from '../shared/delivery/endpoint';
import { recordFor, sentPayload } from '../shared/storage/records';
import { readAuthentication, readDeliveryOptions, readSigningSecrets } from './settings';

const finishedStatuses = new Set(['sent', 'failed', 'skipped']);

/**
 * Continue Deliveries: send outbox rows (or delivery log rows a person wants resent) and map each
 * outcome onto the row it came from. Output: one item per delivery, with the columns of both the
 * outbox and the log and `finished` saying which table it belongs in now. The body is left out.
 */
export async function continueDeliveries(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readDeliveryOptions(ctx);
	const authenticatorFor = await readAuthentication(ctx, options.urlPolicy);
	const current = readCurrentEndpoints(ctx);
	const signingSecrets = await readSigningSecrets(ctx);
	const trigger = ctx.getNodeParameter('attemptTrigger', 0) as AttemptTrigger;
	const payloads = readEventRecords(ctx);
	const skipEventRows = readIdList(ctx, 'skipEventRows');

	type Planned = { continuation: Continuation; job?: DeliveryJob; settled?: DeliveryResult; itemIndex: number };
	const planned: Planned[] = [];
	const errors: INodeExecutionData[] = [];
	const skipped: INodeExecutionData[] = [];
	items.forEach((item, itemIndex) => {
		const json = item.json;
		// A scheduled run only carries on what is still open; a person may resend anything.
		if (trigger === 'scheduled' && typeof json.status === 'string' && finishedStatuses.has(json.status)) return;
		const stored = json.payload === undefined && json.eventRow !== undefined ? payloads.get(Number(json.eventRow)) : json.payload;
		const parsed = parseContinuation({ ...json, payload: readable(stored) });
		if (!parsed.ok) {
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), parsed.error, { itemIndex });
			errors.push({ json: { error: parsed.error }, pairedItem: { item: itemIndex } });
			return;
		}
		const { row } = parsed.continuation;
		// The delivery follows its endpoint as it is now: its URL, authentication and secrets.
		const now = current && row.endpointId !== null ? current.get(String(row.endpointId)) : undefined;
		const continuation = now && !('error' in now) ? { ...parsed.continuation, endpoint: { ...parsed.continuation.endpoint, ...now } } : parsed.continuation;
		if (row.eventRow !== null && skipEventRows.has(row.eventRow)) {
			skipped.push({ json: { ...outboxRowOf(continuation), status: 'skipped', finished: true } as unknown as IDataObject, pairedItem: { item: itemIndex } });
			return;
		}
		const notSent = (error: string) => void planned.push({ continuation, itemIndex, settled: notAttemptedResult(continuation, 'failed', error) });
		// A row planned for an endpoint row that was broken carries the reason from the start.
		if (row.status === 'pending' && row.attempts === 0 && row.error) return notSent(row.error);
		if (current && row.endpointId !== null) {
			if (!now) return notSent(ENDPOINT_GONE);
			if ('error' in now) return notSent(now.error);
		}
		if (!continuation.endpoint.url) return notSent('The delivery has no endpoint URL');
		const authenticator = authenticatorFor({ ...continuation.endpoint, id: row.endpointId });
		if ('error' in authenticator) return notSent(authenticator.error);
		const deadline = row.claim && row.dueAt ? attemptDeadline(Date.parse(row.dueAt)) : undefined;
		planned.push({
			continuation,
			itemIndex,
			job: { ...continuation, authenticator, signingSecrets: authenticator.signingSecrets ?? signingSecrets, trigger, deadline },
		});
	});

	const dispatcher = new Dispatcher(options);
	const results = await Promise.all(planned.map((entry) => entry.settled ?? dispatcher.deliver(entry.job!)));
	const now = new Date();
	return [
		...planned.map((entry, i) => ({
			json: recordFor(outboxRowOf(entry.continuation), results[i], trigger, now) as unknown as IDataObject,
			pairedItem: { item: entry.itemIndex },
		})),
		...skipped,
		...errors,
	];
}

export const ENDPOINT_GONE = 'Not sent: the endpoint was deleted (or disabled before this run read the endpoints)';

type CurrentEndpoint = Pick<Continuation['endpoint'], 'key' | 'name' | 'url' | 'authentication'> & { sealed?: Endpoint['sealed'] };

/**
 * The Endpoints (Current) parameter: the endpoint rows as they are now, by id. Absent (older
 * workflows): deliveries keep the URL and authentication they were planned with.
 */
function readCurrentEndpoints(ctx: IExecuteFunctions): Map<string, CurrentEndpoint | { error: string }> | undefined {
	let value = ctx.getNodeParameter('currentEndpoints', 0, '') as unknown;
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Endpoints (Current) is not valid JSON', { description: 'Use an expression that yields the rows of the endpoints table' });
		}
	}
	if (!Array.isArray(value)) throw new NodeOperationError(ctx.getNode(), 'Endpoints (Current) must be an array of endpoint rows');
	const map = new Map<string, CurrentEndpoint | { error: string }>();
	for (const row of value as Array<Record<string, unknown>>) {
		if (!row || typeof row !== 'object' || row.id === undefined || row.id === null) continue;
		const parsed = parseEndpoint(row);
		const id = String(row.id);
		if (!parsed.ok) map.set(id, { error: `Not sent: ${parsed.error}` });
		else if (!parsed.endpoint.active) {
			const reason = typeof row.disabledReason === 'string' && row.disabledReason ? ` (${row.disabledReason.slice(0, 200)})` : '';
			map.set(id, { error: `Not sent: the endpoint is disabled${reason}` });
		} else {
			const { name, url, authentication, sealed } = parsed.endpoint;
			map.set(id, { key: `id:${id}`, name, url, authentication, sealed });
		}
	}
	return map;
}

function readIdList(ctx: IExecuteFunctions, name: string): Set<number> {
	const value = ctx.getNodeParameter(name, 0, '') as unknown;
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [value];
	return new Set(list.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0));
}

/**
 * A claimed row is ours until dueAt, and recording the outcome takes a moment too: attempts must end
 * a margin before the claim does (30 s, or a third of what is left of a shorter claim), so no other
 * run can claim the row while this one still sends or records it.
 */
export function attemptDeadline(claimEnds: number, now = Date.now()): number {
	return claimEnds - Math.min(30_000, Math.max(0, claimEnds - now) / 3);
}

/** A stored body as sent; one that cannot be inflated reads as absent, so the row is reported, not sent. */
function readable(stored: unknown): unknown {
	if (typeof stored !== 'string') return stored;
	try {
		return sentPayload(stored);
	} catch {
		return undefined;
	}
}

/** Rows of the events table by id → payload, from the Event Records parameter (read once per run). */
function readEventRecords(ctx: IExecuteFunctions): Map<number, string> {
	let value = ctx.getNodeParameter('eventRecords', 0, '') as unknown;
	if (typeof value === 'string') {
		if (value.trim() === '') return new Map();
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Event Records is not valid JSON', { description: 'Use an expression that yields the rows of the events table' });
		}
	}
	const rows = Array.isArray(value) ? value : [value];
	const map = new Map<number, string>();
	for (const row of rows) {
		if (row && typeof row === 'object' && typeof (row as IDataObject).payload === 'string') map.set(Number((row as IDataObject).id), (row as IDataObject).payload as string);
	}
	return map;
}

/** The row the outcome is written onto: its identity and history, without the body. */
function outboxRowOf({ row, eventId, eventType, resourceId, endpoint }: Continuation): Parameters<typeof recordFor>[0] {
	return {
		...(row.id ? { id: row.id } : {}),
		deliveryId: row.deliveryId,
		eventRow: row.eventRow ?? 0,
		eventId,
		eventType,
		resourceId: resourceId ?? '',
		endpointId: row.endpointId,
		endpointName: endpoint.name,
		endpointUrl: endpoint.url,
		endpointAuthentication: endpoint.authentication ?? '',
		status: row.status,
		attempts: row.attempts,
		retryRound: row.retryRound,
		firstAttemptAt: row.firstAttemptAt,
		lastAttemptAt: row.lastAttemptAt,
		responseCode: row.responseCode,
		error: row.error,
		attemptLog: row.attemptLog ?? '',
		nextAttemptAt: row.nextAttemptAt,
		dueAt: row.dueAt ?? new Date().toISOString(),
		claim: row.claim ?? '',
		version: row.version,
	};
}
