import { newEventId, type WebhookEvent } from '../event/envelope';
import {
	findEventType,
	normaliseEvent,
	parseEventEnvelope,
	unknownTypeMessage,
	validateEventData,
	type EventIssue,
	type EventSystem,
	type EventTypeDefinition,
} from '../event/catalog';
import { authenticate, headerValue, type HeaderBag, type InboundAuth } from './auth';
import { decodeUtf8, DEFAULT_MAX_DEPTH, parseJsonSafely } from '../util/json';

/*
 * What a trigger does with one HTTP request, without n8n: check size, sender, media type and JSON,
 * then each event against the catalog and the trigger's filters. The answer is data (status code,
 * JSON body, accepted events); the node file writes it to the response.
 *
 * Order of checks: 413 (declared or actual size) -> 401 (authentication, over the raw bytes) ->
 * 415 (media type) -> 400 (UTF-8, JSON, shape) -> 413 (too many events) -> per-event results.
 * A request that fails authentication learns nothing about what else is wrong with it.
 */

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_EVENTS = 1000;
/** Issues listed per rejected event; the rest are counted. Keeps a bad batch's answer readable. */
export const MAX_ISSUES_PER_EVENT = 10;

export interface InboundSettings {
	system: EventSystem;
	/** The event types to emit; empty means all of the system's types. */
	eventTypes: string[];
	/** Emit only events carrying one of these channels; empty means every event. */
	channels: string[];
	auth: InboundAuth;
	maxBodyBytes?: number;
	maxEvents?: number;
	maxDepth?: number;
	/**
	 * strict: an event whose data does not match its schema is rejected (422 when none is accepted).
	 * lenient: it is accepted and its issues ride along in `schemaIssues`. Envelope problems and
	 * unknown types are rejected in both modes: such an event cannot be routed.
	 */
	validation?: ValidationMode;
	/** The custom event types (from the webhook_event_types table), beside the built-in ones. */
	customEventTypes?: EventTypeDefinition[];
	/** Set when the custom event types could not be read just now: an event of a type that is not built in gets 503. */
	customEventTypesUnavailable?: string;
}

export type ValidationMode = 'strict' | 'lenient';
/** The event a trigger emits: the envelope, and in lenient mode the data's schema issues, if any. */
export type ReceivedEvent = WebhookEvent & { schemaIssues?: EventIssue[] };

export interface InboundRequest {
	headers: HeaderBag;
	/** The body bytes as received (after transfer decoding); undefined for no body. */
	rawBody: Buffer | undefined;
}

export interface AcceptedEntry {
	index: number;
	id: string;
	type: string;
	/** Lenient mode: how the data differs from its schema. */
	schemaIssues?: EventIssue[];
}
export interface DroppedEntry {
	index: number;
	/** Absent when the source sent none and the event was dropped before it was given one. */
	id?: string;
	type: string;
	reason: string;
}
export interface RejectedEntry {
	index: number;
	id?: string;
	type?: string;
	issues: EventIssue[];
}

/** The JSON body of every answer. `error` is set on every 4xx/5xx, the lists on 202 and 422. */
export interface InboundResponseBody {
	error?: 'payload_too_large' | 'unauthorized' | 'unsupported_media_type' | 'bad_request' | 'invalid_events' | 'server_error' | 'unavailable';
	message?: string;
	received?: number;
	accepted?: AcceptedEntry[];
	dropped?: DroppedEntry[];
	rejected?: RejectedEntry[];
}

export interface InboundResult {
	statusCode: 202 | 400 | 401 | 413 | 415 | 422 | 500 | 503;
	body: InboundResponseBody;
	/** The accepted events, in request order, each a WebhookEvent (with schemaIssues in lenient mode). */
	events: ReceivedEvent[];
	/** How many events had a type neither built in nor among the custom types given: the custom types may be worth reading. */
	unknownTypes?: number;
}

const idPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

function fail(statusCode: InboundResult['statusCode'], error: InboundResponseBody['error'], message: string): InboundResult {
	return { statusCode, body: { error, message }, events: [] };
}

/** Checks the declared Content-Length before any byte is read: lets a node refuse early. */
export function declaredTooLarge(headers: HeaderBag, maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES): InboundResult | undefined {
	const declared = Number(headerValue(headers, 'content-length'));
	return Number.isFinite(declared) && declared > maxBodyBytes ? tooLarge(maxBodyBytes) : undefined;
}

export function tooLarge(maxBodyBytes: number): InboundResult {
	return fail(413, 'payload_too_large', `The body is larger than ${maxBodyBytes} bytes`);
}

/** Accepts application/json and structured-syntax JSON types (application/cloudevents+json, ...). */
function mediaTypeProblem(contentType: string | undefined): string | undefined {
	if (contentType === undefined || contentType.trim() === '') return undefined;
	const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
	if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) {
		return `Content-Type must be application/json, not ${mediaType.slice(0, 100)}`;
	}
	const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
	if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return 'The body must be UTF-8 encoded';
	return undefined;
}

export function receiveEvents(request: InboundRequest, settings: InboundSettings, now: Date = new Date()): InboundResult {
	const maxBodyBytes = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
	const maxEvents = settings.maxEvents ?? DEFAULT_MAX_EVENTS;
	const rawBody = request.rawBody ?? Buffer.alloc(0);

	const oversize = declaredTooLarge(request.headers, maxBodyBytes);
	if (oversize) return oversize;
	if (rawBody.length > maxBodyBytes) return tooLarge(maxBodyBytes);

	const auth = authenticate(settings.auth, request.headers, rawBody, now);
	if (!auth.ok) return fail(auth.statusCode, auth.statusCode === 401 ? 'unauthorized' : 'server_error', auth.message);

	const mediaProblem = mediaTypeProblem(headerValue(request.headers, 'content-type'));
	if (mediaProblem) return fail(415, 'unsupported_media_type', mediaProblem);

	const text = decodeUtf8(rawBody);
	if (text === undefined) return fail(400, 'bad_request', 'The body is not valid UTF-8');
	if (text.trim() === '') return fail(400, 'bad_request', 'The body is empty; send one event or an array of events');
	const parsed = parseJsonSafely(text, settings.maxDepth ?? DEFAULT_MAX_DEPTH);
	if (!parsed.ok) return fail(400, 'bad_request', parsed.message);

	let inputs: unknown[];
	if (Array.isArray(parsed.value)) {
		if (parsed.value.length === 0) return fail(400, 'bad_request', 'The array holds no events');
		if (parsed.value.length > maxEvents) {
			return fail(413, 'payload_too_large', `At most ${maxEvents} events per request, not ${parsed.value.length}`);
		}
		inputs = parsed.value;
	} else if (parsed.value !== null && typeof parsed.value === 'object') {
		inputs = [parsed.value];
	} else {
		return fail(400, 'bad_request', 'The body must be an event (a JSON object) or an array of events');
	}

	return sortEvents(inputs, settings, request.headers, now);
}

function sortEvents(inputs: unknown[], settings: InboundSettings, headers: HeaderBag, now: Date): InboundResult {
	const listened = new Set(settings.eventTypes);
	const channels = new Set(settings.channels);
	const assignId = idAssigner(settings.auth, headers, inputs.length);
	const seenIds = new Set<string>();
	const accepted: AcceptedEntry[] = [];
	const dropped: DroppedEntry[] = [];
	const rejected: RejectedEntry[] = [];
	const events: ReceivedEvent[] = [];
	const custom = new Map((settings.customEventTypes ?? []).map((definition) => [definition.type, definition]));
	let unknownTypes = 0;

	for (const [index, input] of inputs.entries()) {
		const parsed = parseEventEnvelope(input);
		if (!parsed.ok) {
			rejected.push({ index, ...identify(input), issues: capIssues(parsed.issues) });
			continue;
		}
		const { envelope } = parsed;
		const definition = findEventType(envelope.type) ?? custom.get(envelope.type);
		if (!definition && settings.customEventTypesUnavailable) {
			// Maybe a custom type: refusing it for good would lose it, so the source is asked to retry.
			return fail(503, 'unavailable', `The custom event types could not be read (${settings.customEventTypesUnavailable}); post again shortly`);
		}
		if (!definition) unknownTypes++;
		if (!definition || definition.system !== settings.system) {
			rejected.push({ index, ...identify(input), issues: [{ path: 'type', message: unknownTypeMessage(envelope.type, settings.system) }] });
			continue;
		}
		// The type filter comes before the data check: an event nobody listens for is not this node's to judge.
		if (listened.size > 0 && !listened.has(definition.type)) {
			dropped.push({ index, ...(envelope.id ? { id: envelope.id } : {}), type: envelope.type, reason: 'event type not listened for' });
			continue;
		}
		const issues = validateEventData(definition, envelope.data);
		if (issues.length > 0 && settings.validation !== 'lenient') {
			rejected.push({ index, ...identify(input), issues: capIssues(issues) });
			continue;
		}
		// The channel filter needs the valid data: a shipping event's channel can come from its order.
		const event = normaliseEvent(envelope, definition, { now, assignId: () => assignId(index) });
		if (channels.size > 0 && !(event.channels ?? []).some((channel) => channels.has(channel))) {
			dropped.push({ index, id: event.id, type: event.type, reason: 'channel not listened for' });
			continue;
		}
		if (seenIds.has(event.id)) {
			dropped.push({ index, id: event.id, type: event.type, reason: 'duplicate id in this request' });
			continue;
		}
		seenIds.add(event.id);
		const schemaIssues = issues.length > 0 ? { schemaIssues: capIssues(issues) } : {};
		accepted.push({ index, id: event.id, type: event.type, ...schemaIssues });
		events.push({ ...event, ...schemaIssues });
	}

	const body: InboundResponseBody = { received: inputs.length, accepted, dropped, rejected };
	if (accepted.length === 0 && rejected.length > 0) {
		const message =
			inputs.length === 1 ? 'The event is not valid' : `None of the ${inputs.length} events was accepted; see "rejected"`;
		return { statusCode: 422, body: { error: 'invalid_events', message, ...body }, events, unknownTypes };
	}
	return { statusCode: 202, body, events, unknownTypes };
}

/**
 * Ids for events sent without one. Under a verified Standard Webhooks signature the webhook-id
 * header is the sender's message id, stable across retries, so events derived from it are too
 * and receivers can dedupe a redelivered request. Otherwise a fresh random id.
 */
function idAssigner(auth: InboundAuth, headers: HeaderBag, count: number): (index: number) => string {
	const messageId = auth.mode === 'signature' ? (headerValue(headers, 'webhook-id') ?? headerValue(headers, 'svix-id')) : undefined;
	if (messageId && idPattern.test(messageId) && messageId.length <= 100) {
		return (index) => (count === 1 ? messageId : `${messageId}.${index}`);
	}
	return () => newEventId();
}

/** The id and type of an event being rejected, only when they are sane enough to repeat. */
function identify(input: unknown): { id?: string; type?: string } {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
	const { id, type } = input as Record<string, unknown>;
	return {
		...(typeof id === 'string' && idPattern.test(id) ? { id } : {}),
		...(typeof type === 'string' && type.length > 0 && type.length <= 128 ? { type } : {}),
	};
}

function capIssues(issues: EventIssue[]): EventIssue[] {
	if (issues.length <= MAX_ISSUES_PER_EVENT) return issues;
	return [
		...issues.slice(0, MAX_ISSUES_PER_EVENT),
		{ path: '(root)', message: `and ${issues.length - MAX_ISSUES_PER_EVENT} more issues` },
	];
}
