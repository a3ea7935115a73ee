import { createHash } from 'node:crypto';

import { NodeOperationError, type IExecuteFunctions, type INodeProperties, type IWebhookFunctions } from 'n8n-workflow';

import { findEventType } from '../event/catalog';
import { customEventTypesFrom, type CustomCatalog } from '../event/custom';
import { customCatalogFromTable } from '../storage/eventTypesTable';
import type { InboundSettings } from '../inbound/receive';

/*
 * How the nodes get the custom event types. The triggers read the webhook_event_types table through
 * n8n's API (with an n8n API credential); the Event Catalog node and Deliver Webhook's check get the
 * rows from a Data Table node in front of them, as an expression. One parser for both (custom.ts).
 */

const isBuiltIn = (type: string) => findEventType(type) !== undefined;

/** The trigger's custom event types, or why they cannot be read right now. */
export async function triggerCustomEventTypes(ctx: IWebhookFunctions): Promise<Pick<InboundSettings, 'customEventTypes' | 'customEventTypesUnavailable'>> {
	if (ctx.getNodeParameter('customEventTypes', 'none') !== 'table') return {};
	let credentials: Record<string, unknown>;
	try {
		credentials = (await ctx.getCredentials('n8nApi')) as Record<string, unknown>;
	} catch {
		// Not set: a setting to fix, not an outage. Custom types are then unknown (422), as without the table.
		return {};
	}
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	if (!/^https?:\/\//i.test(baseUrl)) return {};
	// One cache entry per API and key (the key itself never leaves this hash).
	const key = createHash('sha256').update(`${baseUrl}\n${String(credentials.apiKey ?? '')}`).digest('hex');
	try {
		const catalog = await customCatalogFromTable(
			async (path, qs) => await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'n8nApi', { method: 'GET', url: `${baseUrl}${path}`, qs, json: true, timeout: 10_000 }),
			key,
			isBuiltIn,
		);
		return { customEventTypes: catalog.definitions };
	} catch (error) {
		const status = (error as { httpCode?: unknown; response?: { status?: unknown } }).httpCode ?? (error as { response?: { status?: unknown } }).response?.status;
		return { customEventTypesUnavailable: `n8n's API answered ${status ? `HTTP ${String(status)}` : 'nothing'} when reading ${'webhook_event_types'}` };
	}
}

/** The Custom Event Types parameter of the Event Catalog node and Deliver Webhook's check: the table's rows. */
export function customEventTypesParameter(ctx: IExecuteFunctions, itemIndex: number): CustomCatalog {
	let value = ctx.getNodeParameter('customEventTypes', itemIndex, '') as unknown;
	if (typeof value === 'string') {
		if (value.trim() === '') return customEventTypesFrom([], isBuiltIn);
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Custom Event Types is not valid JSON', {
				itemIndex,
				description: 'Use an expression that gives the rows of the webhook_event_types table, e.g. {{ $(\'Custom Event Types\').all().map(item => item.json) }}',
			});
		}
	}
	return customEventTypesFrom(value, isBuiltIn);
}

export const customEventTypesProperty: INodeProperties = {
	displayName: 'Custom Event Types',
	name: 'customEventTypes',
	type: 'json',
	default: '',
	placeholder: "{{ $('Custom Event Types').all().map(item => item.json) }}",
	description: 'Rows of the webhook_event_types table (eventType, system, description, sample, schema), usually from a Data Table node: they count as event types of the catalog',
};
