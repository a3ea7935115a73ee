import type { INodeCredentialDescription, INodeProperties, IWebhookDescription, TriggerPanelDefinition } from 'n8n-workflow';

import { eventTypesOf, sampleEvent, systemLabels, type EventSystem } from '../event/catalog';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS } from '../inbound/receive';
import { customEventTypesCredential, validationProperties } from './validationDescription';

/*
 * The description parts the Billing and Shipping Event Triggers share, so their node files only
 * name the system. Webhook response fields are expressions over the "Respond" parameter:
 *   immediately   -> responseMode "onReceived": n8n answers 202 with the node's receipt once the
 *                    execution has been started (the node never writes a 202 itself);
 *   afterWorkflow -> responseMode "lastNode": n8n answers when the last node has finished (200 with
 *                    its first item by default), or 500 if the workflow failed;
 *   responseNode  -> responseMode "responseNode": a Respond to Webhook node answers; if the run
 *                    ends without one, n8n answers 202 with an empty body.
 * Requests the node refuses (400, 401, 413, 415, 422, or 202 when every event was dropped) are
 * answered by the node itself and start no execution.
 */

const DEFAULT_MAX_BODY_MB = DEFAULT_MAX_BODY_BYTES / (1024 * 1024);

export function eventTriggerWebhooks(path: string): IWebhookDescription[] {
	return [
		{
			name: 'default',
			httpMethod: 'POST',
			path,
			responseMode:
				'={{ $parameter["respond"] === "afterWorkflow" ? "lastNode" : $parameter["respond"] === "responseNode" ? "responseNode" : "onReceived" }}',
			responseCode: '={{ $parameter["respond"] === "afterWorkflow" ? 200 : 202 }}',
			responseData: '={{ $parameter["respond"] === "afterWorkflow" ? ($parameter["responseData"] || "firstEntryJson") : undefined }}',
		},
	];
}

export const eventTriggerCredentials: INodeCredentialDescription[] = [
	{
		name: 'webhookSecretHeaderApi',
		required: true,
		displayOptions: { show: { authentication: ['secretHeader'] } },
	},
	{
		name: 'webhookSigningSecretApi',
		required: true,
		displayOptions: { show: { authentication: ['signature'] } },
	},
	customEventTypesCredential,
];

/**
 * The line under the node's name on the canvas: the events it listens to, and a warning when it
 * answers before anything is recorded (the parameter panel's notice is not seen on the canvas).
 */
export function eventTriggerSubtitle(system: EventSystem): string {
	const label = systemLabels[system].toLowerCase();
	return `={{ ($parameter["events"].includes("*") ? "All ${label} events" : $parameter["events"].join(", ")) + ($parameter["respond"] === "immediately" ? " · acknowledges before recording" : "") }}`;
}

export function eventTriggerPanel(system: EventSystem): TriggerPanelDefinition {
	const label = systemLabels[system].toLowerCase();
	return {
		header: `Receive ${label} events`,
		executionsHelp: {
			inactive:
				`Click "Listen for test event", then POST one ${label} event (or an array of events) as JSON to the Test URL, ` +
				'for example the sample shown under "Sample Event". Requests the node refuses (bad JSON, wrong secret, invalid events) ' +
				'get an error answer and keep it listening. Once you publish or activate the workflow, the source posts to the Production URL.',
			active:
				`The workflow runs for every ${label} event posted to the Production URL. Use "Listen for test event" and the Test URL to try a change without touching live runs.`,
		},
		activationHint: `Point the ${label} system's webhook settings at the Production URL.`,
	};
}

/**
 * Tells n8n's webhook server, for this type-version-1 node, not to parse the body before the node
 * runs: n8n would otherwise answer malformed JSON with its own 422 and parse large batches twice.
 * The node then reads the bytes itself with n8n's `readRawBody()` (same size cap, gzip and deflate
 * handling). This is the switch n8n's Webhook node v1 uses; hidden, as it is not a user setting.
 */
const skipBodyParsing: INodeProperties = {
	displayName: 'Body Handling',
	name: 'options',
	type: 'hidden',
	default: { binaryData: true },
};

/** The triggers' Options, with the default and range of each; the webhook reads them with these. */
export function triggerOptions(system: EventSystem): INodeProperties {
	return {
		displayName: 'Options',
		name: 'triggerOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'string',
				default: '',
				placeholder: 'client_1bd942c0-4cec-486f-be7a-7b14118ad4ad, agent_32fad32d-0412-4f28-9349-a3cdca639c34',
				description:
					system === 'shipping'
						? "Comma-separated channels: only events carrying one of them start the workflow. A shipping event's channel is its order channel unless the source sends channels."
						: 'Comma-separated channels: only events carrying one of them start the workflow. Others are acknowledged and dropped.',
			},
			{
				displayName: 'Max Body Size (MB)',
				name: 'maxBodySizeMb',
				type: 'number',
				typeOptions: { minValue: 0.01, maxValue: 16, numberPrecision: 2 },
				default: DEFAULT_MAX_BODY_MB,
				description: "Bigger requests are refused with 413. n8n's own limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default) applies too.",
			},
			{
				displayName: 'Max Events per Request',
				name: 'maxEvents',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: DEFAULT_MAX_EVENTS,
				description: 'Bigger batches are refused with 413',
			},
		],
	};
}

export function eventTriggerProperties(system: EventSystem): INodeProperties[] {
	const label = systemLabels[system].toLowerCase();
	const definitions = eventTypesOf(system);
	return [
		{
			displayName: `The ${label} system POSTs events to the URL above as JSON: one event { ID?, type, timestamp?, userId?, resourceId?, channels?, data }, or an array of them. Each accepted event becomes one output item.`,
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Event Types',
			name: 'events',
			type: 'multiOptions',
			required: true,
			options: [
				{ name: 'All Events', value: '*', description: `Every ${label} event type of the catalog` },
				...definitions
					.map((definition) => ({ name: definition.label, value: definition.type, description: definition.description }))
					.sort((a, b) => a.name.localeCompare(b.name)),
			],
			default: ['*'],
			description: 'The event types to start the workflow for. Events of other types are acknowledged and dropped.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Anyone who knows the URL can post events' },
				{
					name: 'Secret Header',
					value: 'secretHeader',
					description: 'The sender puts a shared secret in a header (compared in constant time)',
				},
				{
					name: 'Standard Webhooks Signature',
					value: 'signature',
					description: 'The sender signs each request (webhook-ID, webhook-timestamp, webhook-signature headers); requests older than 5 minutes are refused',
				},
			],
			// Safe by default: a new trigger refuses unsigned requests until someone chooses otherwise.
			default: 'signature',
		},
		{
			displayName: 'Respond',
			name: 'respond',
			type: 'options',
			options: [
				{
					name: 'Immediately',
					value: 'immediately',
					description: 'Answer 202 with the accepted event IDs as soon as the workflow has started, before anything is recorded',
				},
				{
					name: 'When Last Node Finishes',
					value: 'afterWorkflow',
					description: 'Answer once the workflow has finished, e.g. after the events are recorded; 500 if it failed, so the sender retries',
				},
				{
					name: "Using 'Respond to Webhook' Node",
					value: 'responseNode',
					description: 'A Respond to Event Source node answers, placed after the steps that record the events (see the note below)',
				},
			],
			// Safe by default: the sender hears "accepted" only once the workflow has done its work.
			default: 'afterWorkflow',
			description: 'When to answer the sender for accepted events. Refused requests are always answered at once with an error.',
		},
		{
			displayName:
				'Immediately acknowledges events before anything is recorded: if the workflow then fails or n8n stops, the sender believes they were delivered and will not send them again. To keep every acknowledged event, record them first and answer with "When Last Node Finishes" or a Respond to Webhook node.',
			name: 'respondImmediatelyNotice',
			type: 'notice',
			displayOptions: { show: { respond: ['immediately'] } },
			default: '',
		},
		{
			displayName:
				"Answer with this package's Respond to Event Source node. n8n's own Respond to Webhook (version 1.1 and later) refuses this trigger with \"No Webhook node found\": it answers only n8n's Webhook, Form, Chat and Wait nodes (its version 1 still works).",
			name: 'responseNodeNotice',
			type: 'notice',
			displayOptions: { show: { respond: ['responseNode'] } },
			default: '',
		},
		{
			displayName: 'Response Data',
			name: 'responseData',
			type: 'options',
			displayOptions: { show: { respond: ['afterWorkflow'] } },
			options: [
				{ name: 'First Entry JSON', value: 'firstEntryJson', description: "The last node's first output item" },
				{ name: 'All Entries', value: 'allEntries', description: "All of the last node's output items, as an array" },
				{ name: 'No Response Body', value: 'noData', description: 'An empty body' },
			],
			default: 'firstEntryJson',
		},
		...validationProperties,
		triggerOptions(system),
		{
			displayName: 'Sample Event',
			name: 'sampleEventType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				...definitions.map((definition) => ({ name: definition.label, value: definition.type })).sort((a, b) => a.name.localeCompare(b.name)),
			],
			default: 'none',
			description: 'Shows the catalog\'s sample of an event type: post it to the Test URL, or paste it as mock data on the output to build the flow before the source is connected',
		},
		...definitions.map(
			(definition): INodeProperties => ({
				displayName: `Sample: ${definition.label}`,
				name: `sample_${definition.type.replace(/\./g, '_')}`,
				type: 'json',
				displayOptions: { show: { sampleEventType: [definition.type] } },
				default: JSON.stringify(sampleEvent(definition), null, 2),
				description: 'For reading and copying only; the node ignores changes here',
			}),
		),
		skipBodyParsing,
	];
}
