import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { sourceResponse } from '../shared/inbound/response';

/**
 * Answers the source system's request that started the workflow at a Billing or Shipping Event
 * Trigger whose Respond is "Using 'Respond to Webhook' Node". n8n's own Respond to Webhook (from
 * version 1.1) refuses every trigger but n8n's Webhook, Form, Chat and Wait nodes ("No Webhook node
 * found"): it checks the node types in front of it, so a community trigger can never pass. This node
 * answers through the same channel (the execution's response), so the package's triggers can
 * acknowledge events once they are recorded.
 */
// It answers the HTTP request that started the run: nothing an AI agent could call as a tool.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class RespondToEventSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Respond to Event Source',
		name: 'respondToEventSource',
		icon: { light: 'file:respondToEventSource.svg', dark: 'file:respondToEventSource.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "HTTP " + $parameter["responseCode"] }}',
		description: 'Answer the source system that posted the events to a Billing or Shipping Event Trigger',
		defaults: { name: 'Respond to Event Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					"Answers a Billing or Shipping Event Trigger set to Respond: \"Using 'Respond to Webhook' Node\". Put it after the steps that record the events, so the source is acknowledged only once nothing can be lost. n8n's own Respond to Webhook (version 1.1 and later) answers only n8n's Webhook, Form, Chat and Wait nodes.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Response Code',
				name: 'responseCode',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 599 },
				default: 202,
				description: 'The HTTP status of the answer: 202 (accepted) tells the source the events are safe; 503 asks it to post again later',
			},
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'json',
				default: '={{ { received: $input.all().length } }}',
				description: 'The JSON answer, evaluated once, on the first item',
			},
			{
				displayName: 'Response Headers',
				name: 'responseHeaders',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Header',
				default: {},
				options: [
					{
						name: 'entries',
						displayName: 'Header',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'retry-after' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const headers = ((this.getNodeParameter('responseHeaders', 0, {}) as IDataObject).entries ?? []) as Array<{ name?: unknown; value?: unknown }>;
		const response = sourceResponse({
			statusCode: this.getNodeParameter('responseCode', 0, 202),
			body: this.getNodeParameter('responseBody', 0, {}),
			headers,
		});
		if ('error' in response) throw new NodeOperationError(this.getNode(), response.error, { itemIndex: 0 });
		this.sendResponse({ body: response.body as IDataObject, headers: response.headers, statusCode: response.statusCode });
		return [items];
	}
}
