import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { allowedHostsProperty } from '../nodes/shared/n8n/allowedHostsProperty';

/** A secret token sent in a header on every webhook, plus optional fixed headers. */
export class WebhookSecretHeaderApi implements ICredentialType {
	name = 'webhookSecretHeaderApi';

	displayName = 'Webhook Secret Header API';

	icon: Icon = { light: 'file:../icons/webhookNotifications.svg', dark: 'file:../icons/webhookNotifications.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-webhook-notifications/n8n-nodes-webhook-notifications#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-webhook-secret',
			required: true,
			description: 'The header that carries the secret token',
		},
		{
			displayName: 'Secret Token',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		allowedHostsProperty,
		{
			displayName: 'Additional Headers',
			name: 'additionalHeaders',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Header',
			options: [
				{
					displayName: 'Header',
					name: 'header',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							typeOptions: { password: true },
							default: '',
						},
					],
				},
			],
		},
	];
}
