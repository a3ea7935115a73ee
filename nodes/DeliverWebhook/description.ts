import type { INodeProperties } from 'n8n-workflow';

import { endpointSecretsProperties } from './endpointSecretDescription';

/** Operations that read events from their input items. */
const readsEvents = { show: { operation: ['deliver', 'record'] } };
/** Operations that match events to endpoints. */
const readsEndpoints = { show: { operation: ['deliver', 'plan'] } };
/** Operations that send (the others only shape rows, so they need no credential). */
const sending = { show: { operation: ['deliver', 'continue'] } };
const eventData = { show: { operation: ['deliver', 'record'], eventSource: ['data'] } };

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
	{
		displayName: 'Input Items Are',
		name: 'eventSource',
		type: 'options',
		displayOptions: readsEvents,
		options: [
			{
				name: 'Events',
				value: 'envelope',
				description: 'Each item is an event: { ID?, type, timestamp?, userId?, resourceId?, channels?, data }, as the event triggers emit',
			},
			{
				name: 'Event Data',
				value: 'data',
				description: 'Each item is the data of an event of the type set below; the node wraps it in an event and assigns an ID',
			},
		],
		default: 'envelope',
	},
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		required: true,
		displayOptions: eventData,
		default: '',
		placeholder: 'invoice.activated',
	},
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
	{
		displayName: 'Endpoints',
		name: 'endpointSource',
		type: 'options',
		displayOptions: readsEndpoints,
		options: [
			{ name: 'One URL', value: 'url', description: 'Deliver every event to one URL set here' },
			{
				name: 'List of Endpoints',
				value: 'list',
				description: 'Endpoints from an expression, for example the rows of the webhook_endpoints data table',
			},
		],
		default: 'list',
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
	{
		displayName: 'Sign Webhooks',
		name: 'signPayload',
		type: 'boolean',
		displayOptions: sending,
		default: true,
		description: 'Whether to add a Standard Webhooks signature (webhook-signature header) made with the Webhook Signing Secret API credential',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed HTTP Hosts',
				name: 'allowedHttpHosts',
				type: 'string',
				default: '',
				placeholder: '127.0.0.1, localhost',
				description: 'Comma-separated host names that may be called over plain http although Require HTTPS is on (receivers on this machine), and may serve an OAuth2 token URL over http',
			},
			{
				displayName: 'Allowed Private Hosts',
				name: 'allowedPrivateHosts',
				type: 'string',
				default: '',
				placeholder: 'receiver.intranet, 10.1.0.0/16, 127.0.0.1',
				description: 'Comma-separated host names, IP addresses or CIDR ranges that may be called although they are private, loopback or link-local',
			},
			{
				displayName: 'Block Private Addresses',
				name: 'blockPrivateAddresses',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse endpoints that resolve to loopback, private, link-local (cloud metadata) or unique-local addresses, checked on every attempt',
			},
			{
				displayName: 'Durable Retry Schedule',
				name: 'durableSchedule',
				type: 'string',
				default: '5s, 5m, 30m, 2h, 5h, 10h, 10h',
				description:
					'Delays of the retries after a run fails, carried out by the Retry Due Deliveries workflow; when they are spent, the delivery fails',
			},
			{
				displayName: 'Final Status Codes',
				name: 'finalStatusCodes',
				type: 'string',
				default: '410',
				placeholder: '410',
				description:
					'Comma-separated answers that end a delivery at once (failed, no retry). Every other non-2xx answer, 3xx and 4xx included, is retried on the durable schedule; 410 also sets endpointGone.',
			},
			{
				displayName: 'Include Skipped',
				name: 'includeSkipped',
				type: 'boolean',
				default: false,
				description: 'Whether to output a "skipped" item for each endpoint that is inactive or not subscribed to the event',
			},
			{
				displayName: 'Max Attempts per Run',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 3,
				description: 'Attempts made right away, with exponential backoff and jitter, before the durable schedule takes over',
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 500 },
				default: 50,
			},
			{
				displayName: 'Max Concurrent Requests per Endpoint',
				name: 'maxConcurrencyPerEndpoint',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
			},
			{
				displayName: 'Max Retry-After to Schedule (Hours)',
				name: 'retryAfterScheduleCap',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 720 },
				default: 24,
				description: 'The latest a Retry-After answer can move the next durable retry; a longer one (a date years ahead) is cut to this',
			},
			{
				displayName: 'Max Retry-After to Wait (Seconds)',
				name: 'retryAfterCap',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 600 },
				default: 30,
				description: 'A Retry-After answer longer than this is not waited for in the run; the next durable retry is moved after it',
			},
			{
				displayName: 'Proxy',
				name: 'proxy',
				type: 'string',
				default: '',
				placeholder: 'http://proxy.example.com:3128',
				description:
					"Forward proxy for the deliveries (https goes through a CONNECT tunnel). Empty: n8n's HTTPS_PROXY, HTTP_PROXY and NO_PROXY environment variables. Hosts in NO_PROXY are reached directly either way; the URL policy applies to the target, not to the proxy.",
			},
			{
				displayName: 'Require HTTPS',
				name: 'requireHttps',
				type: 'boolean',
				default: false,
				description: 'Whether to refuse endpoints whose URL is not https',
			},
			{
				displayName: 'Response Body Kept (Bytes)',
				name: 'responseBodyLimit',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 65536 },
				default: 256,
				description: 'How much of each response body is kept for the output (the delivery log keeps at most 256 characters)',
			},
			{
				displayName: 'Time Budget per Run (Seconds)',
				name: 'timeBudget',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				default: 60,
				description:
					"Longest time one run spends on a delivery, from the start of the run: waiting for a free connection slot, attempts and waits between them. What is left over goes to the durable schedule.",
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 300000 },
				default: 15000,
				description: 'Time allowed for one attempt, from connecting to the end of the response',
			},
		],
	},
];
