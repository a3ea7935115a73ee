import type { INodeProperties } from 'n8n-workflow';

/** Parameters of the endpoints' own secrets: following endpoints by id, and sealing. */
export const endpointSecretsProperties: INodeProperties[] = [
	{
		displayName: 'Endpoints (Current)',
		name: 'currentEndpoints',
		type: 'json',
		displayOptions: { show: { operation: ['continue'] } },
		default: '',
		placeholder: "e.g. {{ $('Endpoints').all().map(item => item.json) }}",
		description:
			"The endpoint rows as they are now. Each delivery follows its endpoint by ID: a disabled or deleted endpoint is not sent to, a changed URL or authentication is used, and the endpoint's own secrets sign and authenticate. Empty: deliveries keep the URL they were planned with.",
	},
	{
		displayName: 'New Secrets',
		name: 'newSecrets',
		type: 'json',
		displayOptions: { show: { operation: ['seal'] } },
		default: '',
		placeholder: '{ "secretHeader": { "name": "x-partner-token", "value": "..." }, "oauth2": { "tokenUrl": "...", "clientId": "...", "clientSecret": "..." } }',
		description:
			"What to seal for the endpoint: secretHeader { name, value }, headers [{ name, value }], oauth2 { tokenUrl, clientId, clientSecret, scope }. Replaces the endpoint's secrets; {} removes them; empty keeps them.",
	},
	{
		displayName: 'Signing Secret',
		name: 'signingSecretAction',
		type: 'options',
		displayOptions: { show: { operation: ['seal'] } },
		options: [
			{ name: 'Create One if Missing', value: 'create', description: 'For a new endpoint: its own secret, to hand to the partner' },
			{ name: 'Keep', value: 'keep', description: "Keep the endpoint's own secret; one without signs with the node's Webhook Signing Secret" },
			{ name: 'Rotate', value: 'rotate', description: 'Make a new one; the old one keeps signing too for the overlap below' },
		],
		default: 'create',
	},
	{
		displayName: 'Keep Previous Secret For (Hours)',
		name: 'rotationOverlap',
		type: 'number',
		displayOptions: { show: { operation: ['seal'], signingSecretAction: ['rotate'] } },
		typeOptions: { minValue: 0, maxValue: 720 },
		default: 24,
		description: 'While both secrets sign, the receiver can switch to the new one at its own pace',
	},
];
