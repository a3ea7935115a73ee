import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { credentialTest } from '../shared/credentialTests';
import { parseContinuation } from '../shared/delivery/continuation';
import { checkEndpoint } from '../shared/delivery/endpointCheck';
import type { UrlPolicy } from '../shared/security/urlPolicy';
import { Dispatcher, type DeliveryJob, type DeliveryResult } from '../shared/delivery/delivery';
import { newEventId, parseEnvelope, type WebhookEvent } from '../shared/delivery/envelope';
import { notAttempted, parseEndpoints, pending, planEvent, type ParsedEndpoints } from '../shared/delivery/plan';
import { deliverWebhookProperties } from './description';
import { readAuthentication, readDeliveryOptions, readSigningSecrets } from './settings';

export class DeliverWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Deliver Webhook',
		name: 'deliverWebhook',
		icon: { light: 'file:deliverWebhook.svg', dark: 'file:deliverWebhook.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ { deliver: "Deliver events", prepare: "Prepare deliveries", continue: "Continue deliveries", check: "Check endpoints" }[$parameter["operation"]] }}',
		description: 'Send events to subscribed endpoints as signed, authenticated webhooks, with retries',
		defaults: { name: 'Deliver Webhook' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: 'webhookSigningSecretApi',
				required: true,
				displayOptions: { show: { operation: ['deliver', 'prepare', 'continue'], signPayload: [true] } },
				testedBy: 'webhookSigningSecretApiTest',
			},
			// One entry per credential type: n8n looks a type's entry up by name and uses the first.
			// Required for its own mode, optional under Per Endpoint; execute() says which is missing.
			{
				name: 'webhookSecretHeaderApi',
				required: false,
				displayOptions: { show: { authentication: ['secretHeader', 'perEndpoint'] } },
				testedBy: 'webhookSecretHeaderApiTest',
			},
			{
				name: 'webhookOAuth2Api',
				required: false,
				displayOptions: { show: { authentication: ['oauth2', 'perEndpoint'] } },
				testedBy: 'webhookOAuth2ApiTest',
			},
		],
		properties: deliverWebhookProperties,
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as 'deliver' | 'prepare' | 'continue' | 'check';
		const { includeSkipped, ...options } = readDeliveryOptions(this);
		if (operation === 'check') return [checkEndpoints(items, options.urlPolicy)];
		const authenticatorFor = await readAuthentication(this);
		const signingSecrets = await readSigningSecrets(this);
		const trigger = operation === 'continue' ? (this.getNodeParameter('attemptTrigger', 0) as 'scheduled' | 'manual') : 'scheduled';

		// Every item is checked before anything is sent: a bad item stops the run with nothing half-done.
		const perItem: Array<{ jobs: DeliveryJob[]; settled: DeliveryResult[] } | { error: string }> = [];
		const listEndpoints = operation === 'continue' ? undefined : readEndpointList(this);
		const skipEventIds = operation === 'continue' ? new Set<string>() : readSkipEventIds(this);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const planned =
				operation !== 'continue'
					? planDelivery(this, items[itemIndex].json, itemIndex, listEndpoints, skipEventIds, { authenticatorFor, signingSecrets, includeSkipped, trigger })
					: planContinuation(items[itemIndex].json, { authenticatorFor, signingSecrets, trigger });
			if ('error' in planned && !this.continueOnFail()) {
				throw new NodeOperationError(this.getNode(), planned.error, { itemIndex });
			}
			perItem.push(planned);
		}

		const dispatcher = new Dispatcher(options);
		const dueAt = new Date(Date.now() + (this.getNodeParameter('pendingGrace', 0, 120) as number) * 1000);
		const delivered = await Promise.all(
			perItem.map((planned) =>
				'error' in planned ? [] : operation === 'prepare' ? planned.jobs.map((job) => pending(job, dueAt)) : dispatcher.deliverAll(planned.jobs),
			),
		);

		const output: INodeExecutionData[] = [];
		perItem.forEach((planned, itemIndex) => {
			const pairedItem = { item: itemIndex };
			if ('error' in planned) {
				output.push({ json: { error: planned.error }, pairedItem });
				return;
			}
			for (const result of [...delivered[itemIndex], ...planned.settled]) {
				output.push({ json: result as unknown as IDataObject, pairedItem });
			}
		});
		return [output];
	}
}

type PlanSettings = Parameters<typeof planEvent>[2];

/** One item per row: `{ valid, errors, endpoint }`, where endpoint is the row as the endpoints table stores it. */
function checkEndpoints(items: INodeExecutionData[], policy: UrlPolicy): INodeExecutionData[] {
	return items.map((item, itemIndex) => ({ json: checkEndpoint(item.json, policy) as unknown as IDataObject, pairedItem: { item: itemIndex } }));
}

const settledStatuses = new Set(['sent', 'failed', 'skipped']);

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

function planDelivery(
	ctx: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
	listEndpoints: ParsedEndpoints | undefined,
	skipEventIds: Set<string>,
	settings: PlanSettings,
): { jobs: DeliveryJob[]; settled: DeliveryResult[] } | { error: string } {
	const event = readEvent(ctx, json, itemIndex);
	if ('error' in event) return event;
	if (skipEventIds.has(event.id)) return { jobs: [], settled: [] };
	const endpoints =
		listEndpoints ??
		parseEndpoints([
			{
				url: ctx.getNodeParameter('url', itemIndex) as string,
				name: (ctx.getNodeParameter('endpointName', itemIndex, '') as string) || undefined,
				active: true,
			},
		]);
	if (!listEndpoints && !endpoints[0].ok) return { error: endpoints[0].error };
	return planEvent(event, endpoints, settings);
}

function readEvent(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): WebhookEvent | { error: string } {
	const source = ctx.getNodeParameter('eventSource', itemIndex) as 'envelope' | 'data';
	const candidate =
		source === 'envelope'
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

function planContinuation(
	json: IDataObject,
	settings: Omit<PlanSettings, 'includeSkipped'>,
): { jobs: DeliveryJob[]; settled: DeliveryResult[] } | { error: string } {
	// A scheduled run only carries on what is still open; a person may resend anything.
	if (settings.trigger === 'scheduled' && typeof json.status === 'string' && settledStatuses.has(json.status)) return { jobs: [], settled: [] };
	const parsed = parseContinuation(json);
	if (!parsed.ok) return { error: parsed.error };
	const { continuation } = parsed;
	const authenticator = settings.authenticatorFor(continuation.endpoint);
	if ('error' in authenticator) {
		return { jobs: [], settled: [notAttempted(continuation, 'failed', authenticator.error, continuation.previous)] };
	}
	return {
		jobs: [{ ...continuation, authenticator, signingSecrets: settings.signingSecrets, trigger: settings.trigger }],
		settled: [],
	};
}
