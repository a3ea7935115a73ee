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

// The billing system is given the URL by hand (like n8n's Webhook node): there is no remote
// webhook to register, check or delete, so the node has no webhookMethods.
export class BillingEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Billing Event Trigger',
		name: 'billingEventTrigger',
		icon: { light: 'file:billingEventTrigger.svg', dark: 'file:billingEventTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventTriggerSubtitle('billing'),
		description: 'Starts the workflow when the billing system posts events (invoices, orders, payments, customers...)',
		eventTriggerDescription: 'Waiting for you to post a billing event to the Test URL',
		activationMessage: 'The billing system can now post events to the Production URL.',
		defaults: { name: 'Billing Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: eventTriggerCredentials,
		webhooks: eventTriggerWebhooks('billing-events'),
		triggerPanel: eventTriggerPanel('billing'),
		properties: eventTriggerProperties('billing'),
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleEventWebhook(this, 'billing');
	}
}
