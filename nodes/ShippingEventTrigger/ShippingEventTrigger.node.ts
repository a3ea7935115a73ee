import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	eventTriggerCredentials,
	eventTriggerPanel,
	eventTriggerProperties,
	eventTriggerSubtitle,
	eventTriggerWebhooks,
} from '../shared/n8n/triggerDescription';
import { handleEventWebhook } from '../shared/n8n/triggerWebhook';

// The shipping system is given the URL by hand (like n8n's Webhook node): there is no remote
// webhook to register, check or delete, so the node has no webhookMethods.
export class ShippingEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shipping Event Trigger',
		name: 'shippingEventTrigger',
		icon: { light: 'file:shippingEventTrigger.svg', dark: 'file:shippingEventTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventTriggerSubtitle('shipping'),
		description: 'Starts the workflow when the shipping system posts events (orders and shipments)',
		eventTriggerDescription: 'Waiting for you to post a shipping event to the Test URL',
		activationMessage: 'The shipping system can now post events to the Production URL.',
		defaults: { name: 'Shipping Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: eventTriggerCredentials,
		webhooks: eventTriggerWebhooks('shipping-events'),
		triggerPanel: eventTriggerPanel('shipping'),
		properties: eventTriggerProperties('shipping'),
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleEventWebhook(this, 'shipping');
	}
}
