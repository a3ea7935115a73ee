import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { eventCatalog, isEventSystem, sampleEvent, type EventTypeDefinition } from '../shared/event/catalog';
import type { CustomCatalog } from '../shared/event/custom';
import { customEventTypesParameter, customEventTypesProperty } from '../shared/n8n/customEventTypes';

/** Lists the event types the triggers understand, with descriptions and sample events. */
export class WebhookEventCatalog implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Event Catalog',
		name: 'webhookEventCatalog',
		icon: { light: 'file:webhookEventCatalog.svg', dark: 'file:webhookEventCatalog.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["system"] === "all" ? "All event types" : $parameter["system"] + " event types" }}',
		description: 'List the billing and shipping event types, with a description and a sample event for each',
		defaults: { name: 'Webhook Event Catalog' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{
				displayName: 'System',
				name: 'system',
				type: 'options',
				options: [
					{ name: 'All Systems', value: 'all' },
					{ name: 'Billing', value: 'billing' },
					{ name: 'Shipping', value: 'shipping' },
				],
				default: 'all',
				description: 'Which source system to list the event types of',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'string',
				default: '',
				placeholder: 'invoice.*, order.activated',
				description: 'Comma-separated event types to list; a trailing * matches a prefix. Empty lists every type of the system.',
			},
			{
				displayName: 'Include Sample Event',
				name: 'includeSample',
				type: 'boolean',
				default: true,
				description: 'Whether to add the sample event of each type, exactly as the triggers emit it',
			},
			customEventTypesProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const custom = customEventTypesParameter(this, itemIndex);
				const customTypes = new Set(custom.definitions.map((definition) => definition.type));
				for (const definition of selectEventTypes(this, itemIndex, custom)) {
					const json = describe(definition, this.getNodeParameter('includeSample', itemIndex, true) as boolean);
					output.push({ json: customTypes.has(definition.type) ? { ...json, custom: true } : json, pairedItem: { item: itemIndex } });
				}
				// Rows that could not be read are listed with the reason, so whoever added them sees why they do not count.
				for (const problem of custom.problems) {
					output.push({ json: { type: problem.eventType ?? '', custom: true, row: problem.row, error: problem.error }, pairedItem: { item: itemIndex } });
				}
			} catch (error) {
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}

function selectEventTypes(ctx: IExecuteFunctions, itemIndex: number, custom: CustomCatalog): EventTypeDefinition[] {
	const system = ctx.getNodeParameter('system', itemIndex, 'all') as string;
	if (system !== 'all' && !isEventSystem(system)) {
		throw new NodeOperationError(ctx.getNode(), `System must be "all", "billing" or "shipping", not "${system}"`, { itemIndex });
	}
	const all = [...eventCatalog, ...custom.definitions];
	const inSystem = all.filter((definition) => system === 'all' || definition.system === system);
	const patterns = (ctx.getNodeParameter('eventTypes', itemIndex, '') as string).split(/[\s,]+/).filter(Boolean);
	if (patterns.length === 0) return inSystem;
	for (const pattern of patterns) {
		if (!pattern.endsWith('*') && !all.some((definition) => definition.type === pattern)) {
			throw new NodeOperationError(ctx.getNode(), `"${pattern}" is not an event type of the catalog`, {
				itemIndex,
				description: 'Leave Event Types empty to see every type, or end a prefix with * (e.g. invoice.*)',
			});
		}
	}
	return inSystem.filter((definition) =>
		patterns.some((pattern) => (pattern.endsWith('*') ? definition.type.startsWith(pattern.slice(0, -1)) : definition.type === pattern)),
	);
}

function describe(definition: EventTypeDefinition, includeSample: boolean): IDataObject {
	return {
		type: definition.type,
		label: definition.label,
		description: definition.description,
		system: definition.system,
		...(includeSample ? { sample: sampleEvent(definition) as unknown as IDataObject } : {}),
	};
}
