import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** A Standard Webhooks signing secret, with the previous one kept while a rotation is under way. */
export class WebhookSigningSecretApi implements ICredentialType {
	name = 'webhookSigningSecretApi';

	displayName = 'Webhook Signing Secret API';

	icon: Icon = { light: 'file:../icons/webhookNotifications.svg', dark: 'file:../icons/webhookNotifications.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-webhook-notifications/n8n-nodes-webhook-notifications#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'whsec_...',
			description: 'The "whsec_" secret shared with the receiver; 24 to 64 random bytes, base64-encoded',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating, webhooks are signed with both secrets so receivers on either keep verifying',
		},
	];
}
