import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { allowedHostsProperty } from '../nodes/shared/n8n/allowedHostsProperty';

/**
 * OAuth2 client credentials, as the receiving systems' security configuration asks for
 * (token URL, client ID and secret, scope). Tokens are fetched with simple-oauth2 by the
 * Deliver Webhook node, cached per credential and refreshed once on a 401.
 */
export class WebhookOAuth2Api implements ICredentialType {
	name = 'webhookOAuth2Api';

	displayName = 'Webhook OAuth2 API';

	icon: Icon = { light: 'file:../icons/webhookNotifications.svg', dark: 'file:../icons/webhookNotifications.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-webhook-notifications/n8n-nodes-webhook-notifications#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://auth.partner.example/oauth/token',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			description: 'Space-separated scopes to request, if the token endpoint needs any',
		},
		allowedHostsProperty,
		{
			displayName: 'Send Credentials',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'As Basic Auth Header', value: 'header' },
				{ name: 'In the Request Body', value: 'body' },
			],
			default: 'header',
			description: 'How the client ID and secret are sent to the token endpoint',
		},
	];
}
