import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * The triggers' settings for the open catalog: how strictly event data is checked, and whether the
 * custom event types of the webhook_event_types table count.
 */
export const validationProperties: INodeProperties[] = [
	{
		displayName: 'Schema Validation',
		name: 'validation',
		type: 'options',
		options: [
			{
				name: 'Lenient',
				value: 'lenient',
				description: 'Accept events whose data does not match the schema and flag them: the issues ride along as schemaIssues and are recorded with the event',
			},
			{
				name: 'Strict',
				value: 'strict',
				description: 'Refuse events whose data does not match the schema with 422 (the source must fix and resend them)',
			},
		],
		// Lenient loses the least: a refused event is one the source may retry for ever or drop.
		default: 'lenient',
		description: 'What to do with an event whose data does not match its event type\'s schema. Events without a known type or a valid envelope are refused either way.',
	},
	{
		displayName: 'Custom Event Types',
		name: 'customEventTypes',
		type: 'options',
		options: [
			{ name: 'Built-in Only', value: 'none', description: 'Only the event types the package ships with' },
			{
				name: 'Also From the Webhook_event_types Table',
				value: 'table',
				description: "Also the rows of the webhook_event_types data table, read through n8n's API (needs an n8n API credential) at most every 30 seconds",
			},
		],
		default: 'none',
	},
];

export const customEventTypesCredential: INodeCredentialDescription = {
	name: 'n8nApi',
	// Optional: without it the trigger knows the built-in types only, and says so in its refusals.
	required: false,
	displayOptions: { show: { customEventTypes: ['table'] } },
};
