import { findEventType } from '../../nodes/shared/event/catalog';
import { eventKeyFor } from '../../nodes/shared/delivery/delivery';
import { storedPayload } from '../../nodes/shared/storage/records';
import { DEDUPE_WINDOW, TABLE, type EventRow, type OutboxRow } from '../../nodes/shared/storage/tables';
import type { N8nApi } from './n8nApi';

type Row = Record<string, unknown> & { id: number };

/**
 * Upgrade from the first delivery log (one `webhook_deliveries` row per delivery, updated in place,
 * with the body in every row). Setup has already added the new columns to that table.
 *
 * - Deliveries still open (pending or retrying) move to the outbox, with their event body recorded
 *   once, their delivery id (webhook-id), attempts and schedule: they carry on where they were.
 * - The newest events of the old log seed the dedupe window, so a source re-posting an event that
 *   was already delivered is still answered as a duplicate.
 * - Finished rows stay in the log as they are (their body in the legacy `payload` column, which the
 *   details view still shows). The old `webhook_attempts` table is no longer written or read.
 *
 * Idempotent: a second run finds no open legacy rows and keys already present.
 */
export async function migrateLegacyLog(api: N8nApi, tableIds: Record<string, string>, log: (line: string) => void): Promise<{ moved: number; seeded: number }> {
	const deliveries = tableIds[TABLE.deliveries];
	const columns = new Set((await api.columns(deliveries)).map((column) => column.name));
	if (!columns.has('payload') || !columns.has('nextAttemptAt')) return { moved: 0, seeded: 0 };

	const rows = (table: string, filter?: unknown, sortBy?: string) => {
		const query = [filter && `filter=${encodeURIComponent(JSON.stringify(filter))}`, sortBy && `sortBy=${encodeURIComponent(sortBy)}`].filter(Boolean).join('&');
		return api.list<Row>(`/data-tables/${table}/rows${query ? `?${query}` : ''}`);
	};
	const insert = (table: string, data: unknown[]) => api.request<Row[]>('POST', `/data-tables/${table}/rows`, { data, returnType: 'all' });
	const sourceOf = (type: unknown) => findEventType(String(type))?.system ?? 'billing';

	// The newest events of the old log (by id, newest first) seed the dedupe window, once, before the open
	// ones move: their events count as recorded too.
	const keys = tableIds[TABLE.eventKeys];
	const present = new Set((await rows(keys)).map((row) => row.eventKey));
	const seen = new Set<string>();
	// Page by page, newest first, only as far as the window reaches (old rows carry their bodies: no more than needed).
	const filter = encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'payload', condition: 'neq', value: '' }] }));
	let cursor: string | undefined;
	do {
		const page = await api.request<{ data: Row[]; nextCursor?: string | null }>(
			'GET',
			`/data-tables/${deliveries}/rows?filter=${filter}&sortBy=${encodeURIComponent('id:desc')}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		for (const row of page.data) if (row.eventId && seen.size < DEDUPE_WINDOW) seen.add(eventKeyFor(sourceOf(row.eventType), String(row.eventId)));
		cursor = page.nextCursor ?? undefined;
	} while (cursor && seen.size < DEDUPE_WINDOW);
	const missing = [...seen].filter((key) => !present.has(key)).reverse();
	for (let i = 0; i < missing.length; i += 500) {
		await api.request('POST', `/data-tables/${keys}/rows`, { data: missing.slice(i, i + 500).map((eventKey) => ({ eventKey, eventRow: 0 })), returnType: 'count' });
	}
	if (missing.length > 0) log(`seeded ${missing.length} event keys from the old log`);
	const open = [
		...(await rows(deliveries, { type: 'and', filters: [{ columnName: 'status', condition: 'eq', value: 'retrying' }] })),
		...(await rows(deliveries, { type: 'and', filters: [{ columnName: 'status', condition: 'eq', value: 'pending' }] })),
	].filter((row) => typeof row.payload === 'string' && row.payload);
	for (const row of open) {
		const source = sourceOf(row.eventType);
		const event: EventRow = {
			eventKey: eventKeyFor(source, String(row.eventId)),
			source,
			eventId: String(row.eventId),
			eventType: String(row.eventType ?? ''),
			resourceId: String(row.resourceId ?? ''),
			channels: String(row.channels ?? ''),
			payload: storedPayload(row.payload as string),
		};
		const [recorded] = await insert(tableIds[TABLE.events], [event]);
		const due = (row.nextAttemptAt as string | null) ?? new Date().toISOString();
		const outbox: OutboxRow = {
			deliveryId: String(row.deliveryId),
			eventRow: recorded.id,
			eventId: event.eventId,
			eventType: event.eventType,
			resourceId: event.resourceId,
			endpointId: null,
			endpointName: String(row.endpointName ?? ''),
			endpointUrl: String(row.endpointUrl ?? ''),
			endpointAuthentication: String(row.endpointAuthentication ?? ''),
			status: row.status === 'retrying' ? 'retrying' : 'pending',
			attempts: Number(row.attempts) || 0,
			retryRound: Number(row.retryRound) || 0,
			firstAttemptAt: (row.firstAttemptAt as string | null) ?? null,
			lastAttemptAt: (row.lastAttemptAt as string | null) ?? null,
			responseCode: (row.responseCode as number | null) ?? null,
			error: (row.error as string | null) ?? null,
			attemptLog: '',
			nextAttemptAt: due,
			dueAt: due,
			claim: '',
			version: 0,
		};
		await insert(tableIds[TABLE.outbox], [outbox]);
		await api.request('DELETE', `/data-tables/${deliveries}/rows/delete?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: row.id }] }))}`);
	}
	if (open.length > 0) log(`moved ${open.length} open deliveries of the old log to ${TABLE.outbox}`);

	return { moved: open.length, seeded: missing.length };
}
