import { TABLE } from './tables';
import { customEventTypesFrom, MAX_CUSTOM_EVENT_TYPES, type CustomCatalog } from '../event/custom';

/*
 * The triggers read the custom event types from the webhook_event_types table through n8n's public
 * API: in n8n 2.41 a webhook has no data-table access of its own (only n8n's Data table nodes may
 * use the data-table proxy). Read at most every CACHE_MS per n8n process, and only by triggers set
 * to use the table; when n8n's API does not answer, the last good read serves for STALE_MS more.
 */
export const CUSTOM_TYPES_CACHE_MS = 30_000;
export const CUSTOM_TYPES_STALE_MS = 10 * 60_000;
/** After a failed read, requests in the next few seconds get the same answer instead of another call. */
export const CUSTOM_TYPES_RETRY_MS = 5_000;

/** GET a path of n8n's public API (e.g. "/data-tables") with query parameters; resolves to the parsed JSON. */
export type ApiGet = (path: string, query: Record<string, string | number>) => Promise<unknown>;

interface Entry {
	readAt: number;
	catalog: CustomCatalog;
}
const cache = new Map<string, Entry>();
const reading = new Map<string, Promise<Entry>>();
const failed = new Map<string, { at: number; error: unknown }>();

export function clearCustomTypesCache(): void {
	cache.clear();
	reading.clear();
	failed.clear();
}

/** The custom catalog for one API connection (`key`), from the cache when fresh. Throws only when n8n's API fails and no recent read exists. */
export async function customCatalogFromTable(get: ApiGet, key: string, isBuiltIn: (type: string) => boolean, now: number = Date.now()): Promise<CustomCatalog> {
	const cached = cache.get(key);
	if (cached && now - cached.readAt < CUSTOM_TYPES_CACHE_MS) return cached.catalog;
	const failure = failed.get(key);
	if (failure && now - failure.at < CUSTOM_TYPES_RETRY_MS) return staleOrThrow(cached, now, failure.error);
	// Requests arriving together share one read.
	let pending = reading.get(key);
	if (!pending) {
		pending = readTable(get).then((rows) => ({ readAt: now, catalog: customEventTypesFrom(rows, isBuiltIn) }));
		reading.set(key, pending);
		pending.then(
			(entry) => {
				cache.set(key, entry);
				failed.delete(key);
			},
			(error: unknown) => failed.set(key, { at: now, error }),
		).finally(() => reading.delete(key));
	}
	const read = await pending.then(
		(entry) => ({ ok: true as const, catalog: entry.catalog }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	return read.ok ? read.catalog : staleOrThrow(cached, now, read.error);
}

function staleOrThrow(cached: Entry | undefined, now: number, error: unknown): CustomCatalog {
	if (cached && now - cached.readAt < CUSTOM_TYPES_STALE_MS) return cached.catalog;
	throw error;
}

interface Page {
	data?: unknown;
	nextCursor?: unknown;
}

async function readTable(get: ApiGet): Promise<unknown[]> {
	// The API's name filter is a "contains" match: the exact name is picked from what it returns.
	const tables = (await get('/data-tables', { filter: JSON.stringify({ name: TABLE.eventTypes }), limit: 250 })) as Page;
	const table = Array.isArray(tables?.data) ? tables.data.find((candidate) => (candidate as { name?: unknown })?.name === TABLE.eventTypes) : undefined;
	if (!table) return []; // no table: no custom event types
	const id = String((table as { id?: unknown }).id ?? '');
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error('n8n answered with a table id that is not one');
	const rows: unknown[] = [];
	let cursor: string | undefined;
	do {
		const page = (await get(`/data-tables/${id}/rows`, { limit: 250, sortBy: 'id:asc', ...(cursor ? { cursor } : {}) })) as Page;
		if (!Array.isArray(page?.data)) throw new Error('n8n answered the rows request with something that is not a list of rows');
		rows.push(...page.data);
		cursor = typeof page.nextCursor === 'string' && page.nextCursor ? page.nextCursor : undefined;
	} while (cursor && rows.length <= MAX_CUSTOM_EVENT_TYPES);
	return rows;
}
