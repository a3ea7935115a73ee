import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { eventKeyFor, scopedDeliveryId, type AttemptLogEntry, type AttemptTrigger, type DeliveryResult } from '../delivery/delivery';
import { endpointKey, matchEndpoint } from '../delivery/endpoint';
import type { ParsedEndpoints } from '../delivery/plan';
import type { WebhookEvent } from '../event/envelope';
import { ERROR_CAP, RESPONSE_BODY_CAP, type DeliveryRow, type EventRow, type LogStatus, type OutboxRow, type OutboxStatus } from './tables';
import { displayUrl } from '../security/displayUrl';

/**
 * How rows of the storage contract are made from events and delivery results, and read back.
 * Pure: the node maps items through these, the tests check them directly.
 */

export { eventKeyFor };

/**
 * Bodies longer than this are stored deflated (base64 behind a `z:` prefix; a JSON body never
 * starts so). Event JSON deflates 2-4 times, and it decides how many rows share a page: on SQLite a
 * 2 KB row takes a 4 KB page of its own, while three 1 KB rows share one.
 */
export const STORE_DEFLATED_ABOVE = 512;
/** A stored body never inflates to more than n8n's largest request (16 MB): a hand-edited cell cannot exhaust memory. */
const MAX_INFLATED = 16 * 1024 * 1024;

export function storedPayload(payload: string): string {
	if (payload.length <= STORE_DEFLATED_ABOVE) return payload;
	const deflated = `z:${deflateRawSync(payload).toString('base64')}`;
	return deflated.length < payload.length ? deflated : payload;
}

/** The body exactly as sent, from its stored form; throws on a cell that is not one. */
export function sentPayload(stored: string): string {
	if (!stored.startsWith('z:')) return stored;
	return inflateRawSync(Buffer.from(stored.slice(2), 'base64'), { maxOutputLength: MAX_INFLATED }).toString('utf8');
}

/**
 * The events table's row for an event: its identity scoped by source, and the body exactly as sent.
 * Schema issues (lenient validation) are kept beside the body, not in it: receivers get the event as sent.
 */
export function eventRowFor(event: WebhookEvent, source: string, payload: string, schemaIssues: SchemaIssueCell[] = []): EventRow {
	return {
		eventKey: eventKeyFor(source, event.id),
		source,
		eventId: event.id,
		eventType: event.type,
		resourceId: event.resourceId ?? '',
		channels: (event.channels ?? []).join(','),
		payload: storedPayload(payload),
		...(schemaIssues.length > 0 ? { schemaIssues: JSON.stringify(schemaIssues.slice(0, SCHEMA_ISSUES_CAP)) } : {}),
	};
}

export interface SchemaIssueCell {
	path: string;
	message: string;
}
/** Issues kept per event; a trigger caps what it reports at about this many too. */
export const SCHEMA_ISSUES_CAP = 20;

/** The schemaIssues a trigger put on an item, checked: anything else on the item reads as none. */
export function readSchemaIssues(value: unknown): SchemaIssueCell[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter((issue) => issue && typeof issue === 'object' && typeof issue.path === 'string' && typeof issue.message === 'string')
		.slice(0, SCHEMA_ISSUES_CAP)
		.map((issue: SchemaIssueCell) => ({ path: cut(issue.path, 200) ?? '', message: cut(issue.message, ERROR_CAP) ?? '' }));
}

/** An attempt as the log keeps it: short keys, since a delivery row holds all of its attempts. */
export interface StoredAttempt {
	n: number;
	at: string;
	code: number | null;
	ms: number;
	error?: string;
	/** `m` for a manual resend; absent for the dispatch and the retry schedule. */
	by?: 'm';
}

/** At most this many attempts are kept per delivery (the oldest go first); `attempts` still counts all. */
export const ATTEMPT_LOG_CAP = 50;

const cut = (text: string | null | undefined, max: number) => (text ? (text.length > max ? `${text.slice(0, max)}…` : text) : null);

function storedAttempt(entry: AttemptLogEntry): StoredAttempt {
	return {
		n: entry.attempt,
		at: entry.attemptedAt,
		code: entry.responseCode,
		ms: entry.durationMs,
		...(entry.error ? { error: cut(entry.error, ERROR_CAP)! } : {}),
		...(entry.trigger === 'manual' ? { by: 'm' as const } : {}),
	};
}

/** Reads a row's attempt log; a malformed cell reads as no earlier attempts rather than failing the delivery. */
export function readAttemptLog(cell: unknown): StoredAttempt[] {
	if (typeof cell !== 'string' || cell === '') return [];
	try {
		const parsed: unknown = JSON.parse(cell);
		return Array.isArray(parsed) ? (parsed.filter((entry) => entry && typeof entry === 'object' && typeof entry.n === 'number') as StoredAttempt[]) : [];
	} catch {
		return [];
	}
}

/**
 * The attempt log cell after this run. A delivery that took exactly one attempt keeps '' (its row
 * says everything about that attempt): most deliveries, so most rows stay small. When a second
 * attempt comes, the first is written out from the row's own fields.
 */
export function appendAttempts(
	row: Pick<OutboxRow, 'attemptLog' | 'attempts' | 'lastAttemptAt' | 'responseCode' | 'error'> & { durationMs?: number | null },
	entries: AttemptLogEntry[],
): string {
	const earlier = readAttemptLog(row.attemptLog);
	const first = earlier.length === 0 && row.attempts === 1 && row.lastAttemptAt ? attemptsOf({ ...row, attemptLog: '', durationMs: row.durationMs ?? 0 }) : [];
	const all = [...first, ...earlier, ...entries.map(storedAttempt)];
	if (all.length <= 1 && !all.some((entry) => entry.by)) return '';
	return JSON.stringify(all.slice(-ATTEMPT_LOG_CAP));
}

/** Every attempt of a log row, the single-attempt case included: what the details view shows. */
export function attemptsOf(row: Pick<DeliveryRow, 'attemptLog' | 'attempts' | 'lastAttemptAt' | 'responseCode' | 'error' | 'durationMs'>): StoredAttempt[] {
	const stored = readAttemptLog(row.attemptLog);
	if (stored.length > 0 || !row.lastAttemptAt || !row.attempts) return stored;
	return [{ n: 1, at: row.lastAttemptAt, code: row.responseCode, ms: row.durationMs, ...(row.error ? { error: row.error } : {}) }];
}

/** A delivery as it comes out of the outbox, ready to send: the outbox row and the event's payload. */
export interface OutboxDelivery extends OutboxRow {
	payload: string;
}

/** What a run did to one delivery: the log row (when it finished) or the outbox row (when it stays open). */
export interface DeliveryRecord extends Omit<OutboxRow, 'status'>, Omit<DeliveryRow, 'status'> {
	status: OutboxStatus | DeliveryRow['status'];
	/** true: append `log` columns to the delivery log and remove the outbox row. */
	finished: boolean;
}

/**
 * Maps one run's result onto the rows. A manual attempt that fails leaves an open delivery as it
 * was (status and schedule): a person pressing Resend during an outage must not end the schedule.
 */
export function recordFor(
	row: Omit<OutboxRow, 'status'> & { status: OutboxStatus | LogStatus; id?: number },
	result: DeliveryResult,
	trigger: AttemptTrigger,
	now: Date = new Date(),
): DeliveryRecord {
	const attemptLog = appendAttempts(row, result.attemptLog);
	const keepSchedule = trigger === 'manual' && result.status !== 'sent' && !result.endpointGone;
	const status: DeliveryRecord['status'] = keepSchedule ? row.status : result.status === 'sent' || result.status === 'failed' ? result.status : 'retrying';
	const finished = status === 'sent' || status === 'failed';
	const nextAttemptAt = finished ? null : keepSchedule ? row.nextAttemptAt : result.nextAttemptAt;
	return {
		...row,
		status,
		attempts: result.attempts,
		retryRound: keepSchedule ? row.retryRound : result.retryRound,
		firstAttemptAt: result.firstAttemptAt,
		lastAttemptAt: result.lastAttemptAt ?? row.lastAttemptAt,
		responseCode: result.responseCode,
		responseBody: cut(result.responseBody, RESPONSE_BODY_CAP),
		error: status === 'sent' ? null : cut(result.error, ERROR_CAP),
		attemptLog,
		durationMs: result.durationMs,
		endpointGone: result.endpointGone,
		// Real traffic is false; a test delivery resent from the log stays a test.
		test: (row as { test?: unknown }).test === true,
		nextAttemptAt,
		// An open row is claimable again at its next attempt (at once, when the schedule gave no date).
		dueAt: finished ? row.dueAt : (nextAttemptAt ?? now.toISOString()),
		claim: finished ? row.claim : '',
		finished,
	};
}

/** Outbox rows for one recorded event: one per endpoint the plan chose, claimed by this run until `dueAt`. */
export function outboxRowFor(
	event: Pick<EventRow, 'eventId' | 'eventType' | 'resourceId'> & { id: number },
	delivery: { deliveryId: string; endpointId: number | null; endpointName: string; endpointUrl: string; endpointAuthentication: string; error?: string | null },
	claim: { claim: string; dueAt: string },
): OutboxRow {
	return {
		deliveryId: delivery.deliveryId,
		eventRow: event.id,
		eventId: event.eventId,
		eventType: event.eventType,
		resourceId: event.resourceId,
		endpointId: delivery.endpointId,
		endpointName: delivery.endpointName,
		endpointUrl: delivery.endpointUrl,
		endpointAuthentication: delivery.endpointAuthentication,
		status: 'pending',
		attempts: 0,
		retryRound: 0,
		firstAttemptAt: null,
		lastAttemptAt: null,
		responseCode: null,
		error: delivery.error ?? null,
		attemptLog: '',
		nextAttemptAt: null,
		dueAt: claim.dueAt,
		claim: claim.claim,
		version: 0,
	};
}

/**
 * The deliveries of one recorded event: an outbox row per matching endpoint. A broken endpoint row
 * gets a row too (with its error, so it ends in the log as failed) rather than stopping the others.
 */
export function planOutbox(
	event: EventRow & { id: number },
	endpoints: ParsedEndpoints,
	claim: { claim: string; dueAt: string },
): OutboxRow[] {
	const rows: OutboxRow[] = [];
	const matchable = { id: event.eventId, type: event.eventType, timestamp: '', channels: event.channels ? event.channels.split(',') : [], data: {} };
	for (const parsed of endpoints) {
		if (!parsed.ok) {
			const row = parsed.row as { name?: unknown; url?: unknown; id?: unknown } | null;
			const name = typeof row?.name === 'string' ? row.name : '(invalid endpoint)';
			const url = typeof row?.url === 'string' ? row.url : '';
			const key = `invalid:${String(row?.id ?? name)}:${url}`;
			rows.push(
				outboxRowFor(event, { deliveryId: scopedDeliveryId(event.source, event.eventId, key), endpointId: numericId(row?.id), endpointName: name, endpointUrl: displayUrl(url), endpointAuthentication: '', error: parsed.error }, claim),
			);
			continue;
		}
		const endpoint = parsed.endpoint;
		if (!matchEndpoint(endpoint, matchable).matches) continue;
		rows.push(
			outboxRowFor(
				event,
				{
					deliveryId: scopedDeliveryId(event.source, event.eventId, endpointKey(endpoint)),
					endpointId: numericId(endpoint.id),
					endpointName: endpoint.name,
					endpointUrl: displayUrl(endpoint.url),
					endpointAuthentication: endpoint.authentication ?? '',
				},
				claim,
			),
		);
	}
	return rows;
}

function numericId(value: unknown): number | null {
	const id = Number(value);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}
