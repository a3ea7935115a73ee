/**
 * The storage contract: the data tables the starter workflows keep their state in, their columns
 * and row types. The nodes, the setup command, the starter-workflow source and the tests all import
 * this one definition.
 *
 * n8n data tables index only the row `id`, and any other filter reads the whole table. So the model
 * keeps history append-only and reaches it by `id`, and keeps what the hot path filters on in
 * tables whose size is bounded by in-flight work (the outbox) or by a window (the event keys):
 *
 * - `webhook_events`      one row per accepted event, with the body exactly as sent (stored once,
 *                         whatever the number of endpoints). Read by `id` only.
 * - `webhook_event_keys`  the dedupe window: `source:eventId` of the most recent events. Pruned by
 *                         the dispatch itself, so it never holds more than the window.
 * - `webhook_outbox`      deliveries in flight (pending or retrying), claimed by compare-and-set on
 *                         `version`. A delivery leaves it when it is sent or fails for good.
 * - `webhook_deliveries`  the delivery log: one row per finished delivery, appended in bulk, its
 *                         attempts inside the row. Updated (by `id`) only by a manual resend.
 * - `webhook_event_types` custom event types users add to the catalog; small, edited by people.
 */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date';
export interface TableDefinition {
	name: string;
	columns: Array<{ name: string; type: ColumnType }>;
}

/** Names contain no other table's name: n8n's by-name lookup is a "contains" match. */
export const TABLE = {
	endpoints: 'webhook_endpoints',
	events: 'webhook_events',
	eventKeys: 'webhook_event_keys',
	outbox: 'webhook_outbox',
	deliveries: 'webhook_deliveries',
	eventTypes: 'webhook_event_types',
} as const;
export type TableKey = keyof typeof TABLE;

const columns = <T extends string>(spec: Record<T, ColumnType>) => Object.entries(spec).map(([name, type]) => ({ name, type: type as ColumnType }));

export const ENDPOINT_COLUMNS = columns({
	name: 'string',
	url: 'string',
	eventTypes: 'string',
	channels: 'string',
	active: 'boolean',
	authentication: 'string',
	description: 'string',
	disabledReason: 'string',
	disabledAt: 'date',
	// Endpoint health: deliveries that gave up within 24 h of the last one (see the health chain).
	failures: 'number',
	lastFailureAt: 'date',
	// The endpoint's own secrets, sealed (AES-256-GCM; see auth/endpointSecrets), and what may be shown of them.
	signingSecret: 'string',
	secrets: 'string',
	secretsHint: 'string',
});

export const EVENT_COLUMNS = columns({
	eventKey: 'string',
	source: 'string',
	eventId: 'string',
	eventType: 'string',
	resourceId: 'string',
	channels: 'string',
	payload: 'string',
	// Lenient validation: how the event's data differs from its schema (JSON; empty when it matches).
	schemaIssues: 'string',
});

/** Custom event types, one per row (see catalog/custom.ts): what users add to the catalog without forking. */
export const EVENT_TYPE_COLUMNS = columns({
	eventType: 'string',
	system: 'string',
	description: 'string',
	sample: 'string',
	schema: 'string',
});

export const EVENT_KEY_COLUMNS = columns({ eventKey: 'string', eventRow: 'number' });

/** What a delivery is, the same in the outbox and the log: its id, event, endpoint and status. */
const DELIVERY_IDENTITY = {
	deliveryId: 'string',
	eventRow: 'number',
	eventId: 'string',
	eventType: 'string',
	resourceId: 'string',
	endpointId: 'number',
	endpointName: 'string',
	endpointUrl: 'string',
	endpointAuthentication: 'string',
	status: 'string',
} as const;

export const OUTBOX_COLUMNS = columns({
	...DELIVERY_IDENTITY,
	attempts: 'number',
	retryRound: 'number',
	firstAttemptAt: 'date',
	lastAttemptAt: 'date',
	responseCode: 'number',
	error: 'string',
	attemptLog: 'string',
	// When the durable schedule tries next (what people see), and when the row may be claimed:
	// the same time, or the end of the lease of whoever holds the claim.
	nextAttemptAt: 'date',
	dueAt: 'date',
	claim: 'string',
	version: 'number',
});

export const DELIVERY_COLUMNS = columns({
	...DELIVERY_IDENTITY,
	responseCode: 'number',
	responseBody: 'string',
	error: 'string',
	attempts: 'number',
	attemptLog: 'string',
	firstAttemptAt: 'date',
	lastAttemptAt: 'date',
	durationMs: 'number',
	endpointGone: 'boolean',
	// A test event sent from the activity page: kept apart from real traffic in counts and health.
	test: 'boolean',
});

export const tables: TableDefinition[] = [
	{ name: TABLE.endpoints, columns: ENDPOINT_COLUMNS },
	{ name: TABLE.events, columns: EVENT_COLUMNS },
	{ name: TABLE.eventKeys, columns: EVENT_KEY_COLUMNS },
	{ name: TABLE.outbox, columns: OUTBOX_COLUMNS },
	{ name: TABLE.deliveries, columns: DELIVERY_COLUMNS },
	{ name: TABLE.eventTypes, columns: EVENT_TYPE_COLUMNS },
];

export const columnNames = (definition: Array<{ name: string }>) => definition.map((column) => column.name);

/** A delivery's status: in the outbox `pending` (not yet attempted) or `retrying`; in the log `sent` or `failed`. */
export type OutboxStatus = 'pending' | 'retrying';
export type LogStatus = 'sent' | 'failed';

export interface EventRow {
	id?: number;
	eventKey: string;
	source: string;
	eventId: string;
	eventType: string;
	resourceId: string;
	channels: string;
	payload: string;
	/** Only when the event was accepted leniently with schema issues (so rows of tables made before the column still insert). */
	schemaIssues?: string;
}

export interface OutboxRow {
	id?: number;
	deliveryId: string;
	eventRow: number;
	eventId: string;
	eventType: string;
	resourceId: string;
	endpointId: number | null;
	endpointName: string;
	endpointUrl: string;
	endpointAuthentication: string;
	status: OutboxStatus;
	attempts: number;
	retryRound: number;
	firstAttemptAt: string | null;
	lastAttemptAt: string | null;
	responseCode: number | null;
	error: string | null;
	attemptLog: string;
	nextAttemptAt: string | null;
	dueAt: string;
	claim: string;
	version: number;
}

export interface DeliveryRow {
	id?: number;
	deliveryId: string;
	eventRow: number;
	eventId: string;
	eventType: string;
	resourceId: string;
	endpointId: number | null;
	endpointName: string;
	endpointUrl: string;
	endpointAuthentication: string;
	status: LogStatus;
	responseCode: number | null;
	responseBody: string | null;
	error: string | null;
	attempts: number;
	attemptLog: string;
	firstAttemptAt: string | null;
	lastAttemptAt: string | null;
	durationMs: number;
	endpointGone: boolean;
	/** A test delivery (sent from the activity page); absent or false for real traffic. */
	test?: boolean;
}

/** Response bodies are kept as an excerpt of at most this many characters (the log row's biggest cell otherwise). */
export const RESPONSE_BODY_CAP = 256;
/** Error texts are cut to this many characters. */
export const ERROR_CAP = 300;
/** How many of the most recent events the dedupe window holds by default. */
export const DEDUPE_WINDOW = 20_000;
