import type { INodeProperties } from 'n8n-workflow';

import { endpointSecretsProperties } from './endpointSecretDescription';
import { deliveryOptions } from './options';

/** Operations that read events from their input items. */
const readsEvents = { show: { operation: ['deliver', 'record'] } };
/** Operations that match events to endpoints. */
const readsEndpoints = { show: { operation: ['deliver', 'plan'] } };
/** Operations that send (the others only shape rows, so they need no credential). */
const sending = { show: { operation: ['deliver', 'continue'] } };
const eventData = { show: { operation: ['deliver', 'record'], eventSource: ['data', 'auto'] } };

/**
 * A parameter in two versions: version 1 as it always was (n8n stores only values that differ from
 * the default, so version 1's defaults must stay), version 2 with what differs (defaults that run as
 * the node is dropped on a canvas).
 */
function versioned(v1: INodeProperties, v2: Partial<INodeProperties>): INodeProperties[] {
	const only = (property: INodeProperties, version: unknown[]): INodeProperties => ({
		...property,
		displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': version } } as INodeProperties['displayOptions'],
	});
	return [only(v1, [1]), only({ ...v1, ...v2 }, [{ _cnd: { gte: 2 } }])];
}

const envelopeChoice = {
	name: 'Events',
	value: 'envelope',
	description: 'Each item is an event: { ID?, type, timestamp?, userId?, resourceId?, channels?, data }, as the event triggers emit',
};
const dataChoice = { name: 'Event Data', value: 'data', description: 'Each item is the data of an event of the type set below; the node wraps it in an event and assigns an ID' };
const anyDataChoice = {
	name: 'Events or Any Data',
	value: 'auto',
	description: 'An item that is an event (it has a type and data) is sent as it is; any other item becomes the data of an event of the type set below',
};
const urlChoice = { name: 'One URL', value: 'url', description: 'Deliver every event to one URL set here' };
const fieldChoice = { name: 'From a Field', value: 'field', description: 'Each item names its own endpoints in a field: one endpoint, or a list' };
const listChoice = { name: 'List of Endpoints', value: 'list', description: 'Endpoints from an expression, for example the rows of the webhook_endpoints data table' };

export const deliverWebhookProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Check Endpoints',
				value: 'check',
				description:
					'Check endpoint rows before they are saved (URL against the address options, event types against the catalog, channels, authentication); nothing is sent',
				action: 'Check endpoints before saving',
			},
			{
				name: 'Continue Deliveries',
				value: 'continue',
				description: 'Send deliveries from the outbox (or resend them from the delivery log), with the same body and webhook ID',
				action: 'Continue deliveries from the outbox',
			},
			{
				name: 'Deliver Events',
				value: 'deliver',
				description: 'Send each input event to every endpoint subscribed to it',
				action: 'Deliver events to endpoints',
			},
			{
				name: 'Plan Deliveries',
				value: 'plan',
				description:
					'Turn recorded events into outbox rows, one per subscribed endpoint, claimed by this run; nothing is sent, so they can be recorded before the source is acknowledged',
				action: 'Plan deliveries into the outbox',
			},
			{
				name: 'Prepare Event Records',
				value: 'record',
				description:
					'Turn events into rows of the events table (the body exactly as it will be sent, stored once), leaving out events already recorded',
				action: 'Prepare event records',
			},
			{
				name: 'Seal Endpoint Secrets',
				value: 'seal',
				description:
					"Seal an endpoint row's own secrets (signing secret, secret header, headers, OAuth2 client) with the Webhook Endpoint Secrets Key credential, so the table holds only ciphertext",
				action: 'Seal endpoint secrets',
			},
		],
		default: 'deliver',
	},
	...endpointSecretsProperties,
	...versioned(
		{
			displayName: 'Input Items Are',
			name: 'eventSource',
			type: 'options',
			displayOptions: readsEvents,
			options: [envelopeChoice, dataChoice],
			default: 'envelope',
		},
		{ options: [anyDataChoice, envelopeChoice, dataChoice], default: 'auto' },
	),
	...versioned(
		{
			displayName: 'Event Type',
			name: 'eventType',
			type: 'string',
			required: true,
			displayOptions: { show: { operation: ['deliver', 'record'], eventSource: ['data'] } },
			default: '',
			placeholder: 'invoice.activated',
		},
		{
			displayOptions: eventData,
			default: 'workflow.item',
			hint: 'The type of the events made from items that are not events: what receivers and endpoint subscriptions see',
		},
	),
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		displayOptions: eventData,
		default: '',
		description: 'The ID of the record the event is about (searchable in the delivery log)',
	},
	{
		displayName: 'Channels',
		name: 'channels',
		type: 'string',
		displayOptions: eventData,
		default: '',
		placeholder: 'client_1bd942c0, agent_32fad32d',
		description: 'Comma-separated channels the event belongs to; endpoints limited to channels only get events of theirs',
	},
	...versioned(
		{ displayName: 'Endpoints', name: 'endpointSource', type: 'options', displayOptions: readsEndpoints, options: [urlChoice, listChoice], default: 'list' },
		{ options: [urlChoice, fieldChoice, listChoice], default: 'url' },
	),
	{
		displayName: 'Endpoints Field',
		name: 'endpointsField',
		type: 'string',
		required: true,
		displayOptions: { show: { operation: ['deliver', 'plan'], endpointSource: ['field'] } },
		default: 'endpoints',
		hint: 'The field holds { name, URL, ... } or a list of them, or just a URL',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		displayOptions: { show: { operation: ['deliver', 'plan'], endpointSource: ['url'] } },
		default: '',
		placeholder: 'https://partner.example/webhooks',
	},
	{
		displayName: 'Endpoint Name',
		name: 'endpointName',
		type: 'string',
		displayOptions: { show: { operation: ['deliver', 'plan'], endpointSource: ['url'] } },
		default: '',
		description: 'How the endpoint is named in the output and the log; the URL when empty',
	},
	...versioned(
		{
			displayName: 'Endpoint List',
			name: 'endpoints',
			type: 'json',
			required: true,
			displayOptions: { show: { operation: ['deliver', 'plan'], endpointSource: ['list'] } },
			default: "={{ $('Get Endpoints').all().map(item => item.json) }}",
			description:
				'An array of endpoints: { name, URL, active, eventTypes ("*" or a list), channels (a list, empty for all), authentication ("none", "secretHeader" or "oauth2") }. Read once per run.',
		},
		{ default: '', placeholder: "e.g. {{ $('Active Endpoints').all().map(item => item.json) }}" },
	),
	{
		displayName: 'Resend Kind',
		name: 'attemptTrigger',
		type: 'options',
		displayOptions: { show: { operation: ['continue'] } },
		options: [
			{
				name: 'Scheduled Retry',
				value: 'scheduled',
				description: 'The retry schedule continues: a failed run schedules the next retry until the schedule is spent. Rows already sent, failed or skipped are passed over.',
			},
			{
				name: 'Manual Resend',
				value: 'manual',
				description:
					'A person asked for it: attempts are recorded as manual; a failure leaves the delivery as it was (status, retry round and next attempt), so the schedule goes on',
			},
		],
		default: 'scheduled',
	},
	{
		displayName: 'Event Records',
		name: 'eventRecords',
		type: 'json',
		displayOptions: { show: { operation: ['continue'] } },
		default: '',
		placeholder: "e.g. {{ $('Events').all().map(item => item.json) }}",
		description:
			'Rows of the events table to take each delivery\'s body from (matched by the item\'s eventRow), for items that carry no payload of their own. Read once per run.',
	},
	{
		displayName: 'Events Not to Send',
		name: 'skipEventRows',
		type: 'string',
		displayOptions: { show: { operation: ['continue'] } },
		default: '',
		description:
			'Event record IDs (eventRow) whose deliveries this run must not send, for example an event another run recorded first. They come out with status "skipped". An array or a comma-separated list.',
	},
	{
		displayName: 'Source System',
		name: 'source',
		type: 'string',
		displayOptions: { show: { operation: ['record'] } },
		default: 'default',
		placeholder: 'billing',
		description: 'Which system the events come from. Event IDs are unique per source: the same ID from two sources is two events.',
	},
	{
		displayName: 'Claim ID',
		name: 'claim',
		type: 'string',
		displayOptions: { show: { operation: ['plan'] } },
		default: '={{ $execution.id }}',
		description: 'Marks the outbox rows this run will send itself, so it can remove exactly those once they are logged',
	},
	{
		displayName: 'Claim For (Seconds)',
		name: 'lease',
		type: 'number',
		displayOptions: { show: { operation: ['plan'] } },
		typeOptions: { minValue: 0, maxValue: 86400 },
		default: 0,
		description:
			'How long no other run may send the planned deliveries. 0: the time budget plus the timeout plus 30 s, so the claim outlasts this run\'s attempts; only a run that died leaves them to the retry schedule.',
	},
	{
		displayName: 'Events Already Recorded',
		name: 'skipEventIds',
		type: 'string',
		displayOptions: { show: { operation: ['deliver', 'record'] } },
		default: '',
		placeholder: "e.g. {{ $('Known Events').all().map(item => item.json.eventId) }}",
		description:
			'IDs (or source:ID keys) of events recorded already, for example found in the event keys table. They are passed over, so an event the source posts twice is delivered once per endpoint. An array or a comma-separated list.',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		displayOptions: sending,
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Secret Header', value: 'secretHeader', description: 'A secret token in a header (Webhook Secret Header API)' },
			{ name: 'OAuth2 Client Credentials', value: 'oauth2', description: 'A bearer token from the Webhook OAuth2 API credential' },
			{
				name: 'Per Endpoint',
				value: 'perEndpoint',
				description: "Each endpoint's authentication field picks the secret header or OAuth2 credential set here",
			},
		],
		default: 'none',
	},
	...versioned(
		{
			displayName: 'Sign Webhooks',
			name: 'signPayload',
			type: 'boolean',
			displayOptions: sending,
			default: true,
			description: 'Whether to add a Standard Webhooks signature (webhook-signature header) made with the Webhook Signing Secret API credential',
		},
		{ default: false, hint: 'Receivers verify the signature with the same secret; turn it on before you send to a partner' },
	),
	deliveryOptions,
];
