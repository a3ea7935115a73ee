import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { DeliverWebhook } from '../../../nodes/DeliverWebhook/DeliverWebhook.node';
import { ShippingEventTrigger } from '../../../nodes/ShippingEventTrigger/ShippingEventTrigger.node';
import { findEventType, sampleEvent } from '../../../nodes/shared/event/catalog';
import { executeContext } from '../../helpers/executeContext';
import { Receiver, newSigningSecret } from '../../helpers/receiver';
import { N8nWebhookHarness } from './n8nWebhookHarness';
import { removeN8nUserFolder } from './n8nUserFolder';

afterAll(removeN8nUserFolder);

describe('an event from a trigger goes through Deliver Webhook unchanged', () => {
	const inboundSecret = newSigningSecret();
	const outboundSecret = newSigningSecret();
	let receiver: Receiver;
	let harness: N8nWebhookHarness | undefined;

	beforeEach(async () => {
		receiver = await new Receiver(outboundSecret).start();
	});
	afterEach(async () => {
		await harness?.stop();
		await receiver.stop();
	});

	/** The workflow after the trigger: Deliver Webhook to the receiver, as n8n would run it. */
	const deliverDownstream = async (items: INodeExecutionData[]) => {
		const ctx = executeContext({
			items: items.map((item) => item.json),
			parameters: {
				operation: 'deliver', eventSource: 'envelope', endpointSource: 'url', url: receiver.url('/partner'),
				authentication: 'none', signPayload: true, options: { allowedPrivateHosts: '127.0.0.1' },
			},
			credentials: { webhookSigningSecretApi: { secret: outboundSecret } },
		});
		const [output] = await new DeliverWebhook().execute.call(ctx);
		return output;
	};

	test.each([
		['billing', new BillingEventTrigger(), ['invoice.activated', 'payment.assigned']],
		['shipping', new ShippingEventTrigger(), ['shipping.order.created', 'shipping.shipment.created']],
	])('%s: same id, type and data at the receiver, signed for the receiver', async (_system, nodeType, types) => {
		harness = await new N8nWebhookHarness({
			nodeType,
			parameters: { authentication: 'signature', respond: 'afterWorkflow', responseData: 'allEntries' },
			credentials: { webhookSigningSecretApi: { secret: inboundSecret } },
			downstream: deliverDownstream,
		}).start();
		const sent = types.map((type, index) => ({ ...sampleEvent(findEventType(type)!), id: `evt_source_${index}` }));
		const body = JSON.stringify(sent);
		const headers = new StandardWebhook(inboundSecret).sign('msg_inbound_1', new Date(), body);
		const response = await fetch(harness.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'webhook-id': 'msg_inbound_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': headers },
			body,
		});
		// Answered after the last node (Deliver Webhook) ran: its output items are the answer.
		expect(response.status).toBe(200);
		const deliveries = (await response.json()) as IDataObject[];
		expect(deliveries.map((delivery) => [delivery.eventId, delivery.status])).toEqual(sent.map((event) => [event.id, 'sent']));
		expect(harness.executions).toHaveLength(1);

		const arrived = receiver.on('/partner');
		expect(arrived).toHaveLength(sent.length);
		for (const event of sent) {
			const request = arrived.find((candidate) => JSON.parse(candidate.body).id === event.id)!;
			const delivered = JSON.parse(request.body) as IDataObject;
			expect(delivered).toMatchObject({ id: event.id, type: event.type, data: event.data });
			expect(request.verifiedByStandardWebhooks).toBe(true);
			expect(request.verifiedBySvix).toBe(true);
		}
	});
});
