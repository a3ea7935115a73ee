import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { credentialTest } from '../shared/n8n/credentialTests';
import { customEventTypesParameter, customEventTypesProperty } from '../shared/n8n/customEventTypes';
import { Dispatcher } from '../shared/delivery/delivery';
import { checkEndpoint } from '../shared/delivery/endpointCheck';
import { eventTypePattern, newEventId, parseEnvelope, type WebhookEvent } from '../shared/event/envelope';
import { parseEndpoints, planEvent, serializeEvent, type ParsedEndpoints } from '../shared/delivery/plan';
import type { UrlPolicy } from '../shared/security/urlPolicy';
import { eventRowFor, planOutbox, readSchemaIssues, sentPayload } from '../shared/storage/records';
import { deliverWebhookProperties } from './description';
import { continueDeliveries } from './continueDeliveries';
import { sealSecrets } from './sealSecrets';
import { OUTPUTS_EXPRESSION, routeDeliveries } from './outcome';
import { readAuthentication, readDeliveryOptions, readSigningSecrets } from './settings';

type Operation = 'deliver' | 'record' | 'plan' | 'continue' | 'check' | 'seal';

export class DeliverWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Deliver Webhook',
		name: 'deliverWebhook',
		icon: { light: 'file:deliverWebhook.svg', dark: 'file:deliverWebhook.dark.svg' },
		group: ['output'],
		// Version 2: defaults that run as dropped on a canvas (any item, one URL, signing off until turned on).
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ { deliver: "Deliver events", record: "Prepare event records", plan: "Plan deliveries", continue: "Continue deliveries", check: "Check endpoints", seal: "Seal endpoint secrets" }[$parameter["operation"]] }}',
		description: 'Send events to subscribed endpoints as signed, authenticated webhooks, with retries',
		defaults: { name: 'Deliver Webhook' },
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS_EXPRESSION,
		usableAsTool: true,
		credentials: [
			{
				name: 'webhookSigningSecretApi',
				required: true,
				displayOptions: { show: { operation: ['deliver', 'continue'], signPayload: [true] } },
				testedBy: 'webhookSigningSecretApiTest',
			},
			// One entry per credential type: n8n looks a type's entry up by name and uses the first.
			// Required for its own mode, optional under Per Endpoint; execute() says which is missing.
			{
				name: 'webhookSecretHeaderApi',
				required: false,
				displayOptions: { show: { operation: ['deliver', 'continue'], authentication: ['secretHeader', 'perEndpoint'] } },
				testedBy: 'webhookSecretHeaderApiTest',
			},
			{
				name: 'webhookOAuth2Api',
				required: false,
				displayOptions: { show: { operation: ['deliver', 'continue'], authentication: ['oauth2', 'perEndpoint'] } },
				testedBy: 'webhookOAuth2ApiTest',
			},
			// Opens the endpoints' own secrets (and seals new ones): the key stays in n8n's credential store.
			// Not offered for one URL set on the node: only endpoint rows carry secrets of their own.
			{
				name: 'webhookEndpointSecretsKeyApi',
				required: false,
				displayOptions: { show: { operation: ['deliver', 'continue', 'seal'] }, hide: { endpointSource: ['url'] } },
				testedBy: 'webhookEndpointSecretsKeyApiTest',
			},
		],
		// The check knows the custom event types only when given the rows of the webhook_event_types table.
		properties: [...deliverWebhookProperties, { ...customEventTypesProperty, displayOptions: { show: { operation: ['check'] } } }],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		switch (operation) {
			case 'check':
				return [checkEndpoints(items, readDeliveryOptions(this).urlPolicy, customEventTypesParameter(this, 0).definitions.map((definition) => definition.type))];
			case 'record':
				return [recordEvents(this, items)];
			case 'plan':
				return [planDeliveries(this, items)];
			case 'continue':
				return routeDeliveries(this, await continueDeliveries(this, items), 'continue');
			case 'seal':
				return [await sealSecrets(this, items)];
			default:
				return routeDeliveries(this, await deliverEvents(this, items), 'deliver');
		}
	}
}

/** One item per row: `{ valid, errors, endpoint }`, where endpoint is the row as the endpoints table stores it. */
function checkEndpoints(items: INodeExecutionData[], policy: UrlPolicy, customTypes: string[]): INodeExecutionData[] {
	return items.map((item, itemIndex) => ({ json: checkEndpoint(item.json, policy, customTypes) as unknown as IDataObject, pairedItem: { item: itemIndex } }));
}

/** Reads every item's event first: a bad item stops the run with nothing half-done (or, with Continue On Fail, becomes an error item). */
function readEvents(ctx: IExecuteFunctions, items: INodeExecutionData[]): Array<WebhookEvent | { error: string }> {
	return items.map((item, itemIndex) => {
		const event = readEvent(ctx, item.json, itemIndex);
		if ('error' in event && !ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), event.error, { itemIndex });
		return event;
	});
}

/** Send now: every item's event to every endpoint subscribed to it. */
async function deliverEvents(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { includeSkipped, ...options } = readDeliveryOptions(ctx);
	const authenticatorFor = await readAuthentication(ctx, options.urlPolicy);
	const signingSecrets = await readSigningSecrets(ctx);
	const skipEventIds = readSkipEventIds(ctx);
	const listEndpoints = readEndpointList(ctx);
	const events = readEvents(ctx, items);
	const plans = events.map((event, itemIndex) => {
		if ('error' in event) return event;
		if (skipEventIds.has(event.id)) return { jobs: [], settled: [] };
		const endpoints = listEndpoints ?? itemEndpoints(ctx, items[itemIndex], itemIndex);
		const refused = !listEndpoints && endpoints.length === 1 && !endpoints[0].ok ? endpoints[0].error : undefined;
		if (refused) {
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), refused, { itemIndex });
			return { error: refused };
		}
		return planEvent(event, endpoints, { authenticatorFor, signingSecrets, includeSkipped, trigger: 'scheduled' });
	});
	const dispatcher = new Dispatcher(options);
	const delivered = await Promise.all(plans.map((plan) => ('error' in plan ? [] : dispatcher.deliverAll(plan.jobs))));
	return plans.flatMap((plan, itemIndex) => {
		const pairedItem = { item: itemIndex };
		if ('error' in plan) return [{ json: { error: plan.error }, pairedItem }];
		return [...delivered[itemIndex], ...plan.settled].map((result) => ({ json: result as unknown as IDataObject, pairedItem }));
	});
}

/**
 * Rows for the events table, one per event not recorded yet: the body exactly as it will be sent,
 * stored once whatever the number of endpoints. An event id seen twice in one run is recorded once.
 */
function recordEvents(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const source = (ctx.getNodeParameter('source', 0, 'default') as string).trim() || 'default';
	if (!/^[A-Za-z0-9_.-]{1,64}$/.test(source)) throw new NodeOperationError(ctx.getNode(), 'Source System must be 1-64 letters, digits or _ . -');
	const known = readSkipEventIds(ctx);
	const output: INodeExecutionData[] = [];
	readEvents(ctx, items).forEach((event, itemIndex) => {
		const pairedItem = { item: itemIndex };
		if ('error' in event) {
			output.push({ json: { error: event.error }, pairedItem });
			return;
		}
		const row = eventRowFor(event, source, serializeEvent(event), readSchemaIssues(items[itemIndex].json.schemaIssues));
		if (known.has(event.id) || known.has(row.eventKey)) return;
		known.add(row.eventKey);
		output.push({ json: row as unknown as IDataObject, pairedItem });
	});
	return output;
}

/** Outbox rows for recorded events (items with the events table's `id`), claimed by this run. */
function planDeliveries(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const options = readDeliveryOptions(ctx);
	const claim = String(ctx.getNodeParameter('claim', 0, '') ?? '').trim();
	if (!claim) throw new NodeOperationError(ctx.getNode(), 'Claim ID is empty', { description: 'Leave it at {{ $execution.id }}' });
	const leaseSeconds = ctx.getNodeParameter('lease', 0, 0) as number;
	// The claim outlasts every attempt this run may make: the budget, one more timeout, and a margin.
	const leaseMs = leaseSeconds > 0 ? leaseSeconds * 1000 : options.retryPolicy.timeBudgetMs + options.timeoutMs + 30_000;
	const dueAt = new Date(Date.now() + leaseMs).toISOString();
	const listEndpoints = readEndpointList(ctx);
	const output: INodeExecutionData[] = [];
	items.forEach((item, itemIndex) => {
		const event = item.json as IDataObject;
		const id = Number(event.id);
		if (!Number.isSafeInteger(id) || id < 1 || typeof event.payload !== 'string' || typeof event.eventId !== 'string') {
			const error = `Item ${itemIndex} is not a recorded event (a row of the events table with its id)`;
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error, { itemIndex });
			output.push({ json: { error }, pairedItem: { item: itemIndex } });
			return;
		}
		const endpoints = listEndpoints ?? itemEndpoints(ctx, item, itemIndex);
		const row = { ...(event as unknown as Parameters<typeof planOutbox>[0]), id, source: String(event.source ?? 'default') };
		let payload: string;
		try {
			payload = sentPayload(event.payload);
		} catch {
			const error = `Item ${itemIndex}: the stored event body cannot be read`;
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error, { itemIndex });
			output.push({ json: { error }, pairedItem: { item: itemIndex } });
			return;
		}
		for (const outbox of planOutbox(row, endpoints, { claim, dueAt })) {
			output.push({ json: { ...outbox, payload } as unknown as IDataObject, pairedItem: { item: itemIndex } });
		}
	});
	return output;
}

/** The endpoints of one item: the node's URL, or the item's own endpoints field. */
function itemEndpoints(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): ParsedEndpoints {
	if (ctx.getNodeParameter('endpointSource', 0) !== 'field') return urlEndpoint(ctx, itemIndex);
	const field = String(ctx.getNodeParameter('endpointsField', itemIndex, 'endpoints')).trim();
	const value = item.json[field];
	const rows = typeof value === 'string' ? [{ url: value }] : Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
	if (rows.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} has no endpoints in its field "${field}"`, {
			itemIndex,
			description: 'Put an endpoint ({ name, url, ... }), a list of them, or a URL in that field, or choose another Endpoints source',
		});
	}
	return parseEndpoints(rows);
}

function urlEndpoint(ctx: IExecuteFunctions, itemIndex: number): ParsedEndpoints {
	return parseEndpoints([
		{
			url: ctx.getNodeParameter('url', itemIndex) as string,
			name: (ctx.getNodeParameter('endpointName', itemIndex, '') as string) || undefined,
			active: true,
		},
	]);
}

function readEndpointList(ctx: IExecuteFunctions): ParsedEndpoints | undefined {
	if (ctx.getNodeParameter('endpointSource', 0) !== 'list') return undefined;
	let value = ctx.getNodeParameter('endpoints', 0) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Endpoint List is not valid JSON', {
				description: 'Use an expression that yields an array of endpoints, e.g. the rows of the webhook_endpoints table',
			});
		}
	}
	const rows = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : undefined;
	if (!rows) throw new NodeOperationError(ctx.getNode(), 'Endpoint List must be an array of endpoints');
	// An empty object is what n8n's "Always Output Data" gives when a lookup found no endpoint.
	return parseEndpoints(rows.filter((row) => !isEmptyObject(row)));
}

function isEmptyObject(value: unknown): boolean {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

function readSkipEventIds(ctx: IExecuteFunctions): Set<string> {
	const value = ctx.getNodeParameter('skipEventIds', 0, '') as unknown;
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [value];
	if (list.some((id) => id !== null && id !== undefined && typeof id !== 'string' && typeof id !== 'number')) {
		throw new NodeOperationError(ctx.getNode(), 'Events Already Recorded must be a list of event IDs');
	}
	return new Set(list.filter((id) => id !== null && id !== undefined && id !== '').map(String));
}

function readEvent(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): WebhookEvent | { error: string } {
	const source = ctx.getNodeParameter('eventSource', itemIndex) as 'auto' | 'envelope' | 'data';
	// The field that names an item's endpoints routes the event; it is not part of it.
	const routing = ctx.getNodeParameter('operation', 0) === 'deliver' && ctx.getNodeParameter('endpointSource', 0, 'list') === 'field';
	if (routing) {
		json = { ...json };
		delete json[String(ctx.getNodeParameter('endpointsField', itemIndex, 'endpoints')).trim()];
	}
	const candidate =
		source === 'envelope' || (source === 'auto' && looksLikeEvent(json))
			? json
			: {
					id: newEventId(),
					type: (ctx.getNodeParameter('eventType', itemIndex) as string).trim(),
					resourceId: (ctx.getNodeParameter('resourceId', itemIndex, '') as string) || undefined,
					channels: (ctx.getNodeParameter('channels', itemIndex, '') as string).split(/[\s,]+/).filter(Boolean),
					data: json,
				};
	const parsed = parseEnvelope(candidate);
	if (parsed.ok) return parsed.event;
	const detail = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
	return { error: `Item ${itemIndex} is not a valid event (${detail})` };
}

/** An item that already is an event: a type like "invoice.activated" and an object of data. */
function looksLikeEvent(json: IDataObject): boolean {
	return typeof json.type === 'string' && eventTypePattern.test(json.type) && json.data !== null && typeof json.data === 'object' && !Array.isArray(json.data);
}
