import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key that seals the endpoints' own secrets (AES-256-GCM) in the endpoints table. The setup
 * command creates it; the Deliver Webhook node seals and opens with it, so it never leaves n8n's
 * credential store. To replace it, put the old key in Previous Key and save the endpoints again.
 */
export class WebhookEndpointSecretsKeyApi implements ICredentialType {
	name = 'webhookEndpointSecretsKeyApi';

	displayName = 'Webhook Endpoint Secrets Key API';

	icon: Icon = { light: 'file:../icons/webhookNotifications.svg', dark: 'file:../icons/webhookNotifications.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-webhook-notifications/n8n-nodes-webhook-notifications#per-endpoint-secrets';

	properties: INodeProperties[] = [
		{
			displayName: 'Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: '32 random bytes in base64, e.g. from "openssl rand -base64 32"',
		},
		{
			displayName: 'Previous Key',
			name: 'previousSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The key being replaced: secrets sealed with it still open until the endpoints are saved again',
		},
	];
}
