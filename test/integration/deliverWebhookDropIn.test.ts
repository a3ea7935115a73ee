import { NodeHelpers, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { DeliverWebhook } from '../../nodes/DeliverWebhook/DeliverWebhook.node';
import { deliveryOptions } from '../../nodes/DeliverWebhook/options';
import { executeContext, hintsOf } from '../helpers/executeContext';
import { Receiver } from '../helpers/receiver';

/**
 * Deliver Webhook version 2 as a user drops it on a canvas: the defaults n8n fills in for that
 * version, plus what the user sets (a URL, an option), against a real receiver on loopback.
 */
const node = new DeliverWebhook();
const loopback = { allowedPrivateHosts: '127.0.0.1' };

/** The parameters n8n stores for a version-2 node given only `set`: every default of that version filled in. */
function dropped(set: Record<string, unknown>): Record<string, unknown> {
	const stub = { id: 'n', name: 'Deliver Webhook', type: 'n8n-nodes-webhook-notifications.deliverWebhook', typeVersion: 2, position: [0, 0], parameters: set } as INode;
	return NodeHelpers.getNodeParameters(node.description.properties, set as never, true, false, stub, node.description) as Record<string, unknown>;
}

describe('Deliver Webhook dropped on a canvas (version 2)', () => {
	let receiver: Receiver;
	beforeEach(async () => {
		receiver = await new Receiver().start();
	});
	afterEach(() => receiver.stop());

	test('its defaults: any item, one URL, no signing, nothing else needed', () => {
		const parameters = dropped({});
		expect(parameters).toMatchObject({ operation: 'deliver', eventSource: 'auto', eventType: 'workflow.item', endpointSource: 'url', url: '', signPayload: false, authentication: 'none' });
		// Only the URL is asked for, and no credential is.
		const issues = NodeHelpers.getNodeParametersIssues(node.description.properties, { id: 'n', name: 'n', type: 't', typeVersion: 2, position: [0, 0], parameters } as INode, node.description);
		expect(Object.keys(issues?.parameters ?? {})).toEqual(['url']);
		const shown = node.description.credentials!.filter((entry) => NodeHelpers.displayParameter(parameters as never, entry, { typeVersion: 2 } as INode, node.description));
		expect(shown).toEqual([]);
	});

	test('its options are listed by name, as n8n lists them', () => {
		const names = (deliveryOptions.options as Array<{ displayName: string }>).map((option) => option.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test('version 1 keeps its defaults, so saved workflows behave as before', () => {
		const stub = { id: 'n', name: 'n', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const parameters = NodeHelpers.getNodeParameters(node.description.properties, {} as never, true, false, stub, node.description) as Record<string, unknown>;
		expect(parameters).toMatchObject({ eventSource: 'envelope', endpointSource: 'list', signPayload: true });
	});

	test('an ordinary item becomes the data of an event; an item that is an event goes as it is', async () => {
		receiver.script('/in', { status: 200 }, { status: 200 });
		const event = { id: 'evt_given', type: 'invoice.paid', data: { invoice: { id: 'i1' } } };
		const ctx = executeContext({ description: node.description, items: [{ customer: 'c1', total: 12 }, event], parameters: { ...dropped({ url: receiver.url('/in') }), options: loopback } });
		const [output] = await node.execute.call(ctx);
		expect(output.map((item) => [item.json.status, item.json.eventType])).toEqual([
			['sent', 'workflow.item'],
			['sent', 'invoice.paid'],
		]);
		const bodies = receiver.on('/in').map((request) => JSON.parse(request.body));
		expect(bodies[0]).toMatchObject({ type: 'workflow.item', data: { customer: 'c1', total: 12 } });
		expect(bodies[0].id).toMatch(/^evt_/);
		expect(bodies[1]).toMatchObject({ id: 'evt_given', type: 'invoice.paid' });
		expect(receiver.on('/in').every((request) => request.headers['webhook-signature'] === undefined)).toBe(true);
	});

	test('endpoints from each item\'s field: one, a list, or a URL; a bad entry fails its delivery only, and a missing field is named', async () => {
		receiver.script('/a', { status: 200 }).script('/b', { status: 200 }).script('/c', { status: 200 });
		const items = [
			{ order: 1, endpoints: { name: 'a', url: receiver.url('/a') } },
			{ order: 2, endpoints: [{ name: 'b', url: receiver.url('/b') }, { name: 'bad', url: 'http://user:pass@127.0.0.1/x' }] },
			{ order: 3, endpoints: receiver.url('/c') },
		];
		const parameters = { ...dropped({ endpointSource: 'field' }), options: loopback };
		const [output] = await node.execute.call(executeContext({ description: node.description, items, parameters }));
		expect(output.map((item) => [item.pairedItem, item.json.endpointName, item.json.status])).toEqual([
			[{ item: 0 }, 'a', 'sent'],
			[{ item: 1 }, 'b', 'sent'],
			[{ item: 1 }, 'bad', 'failed'],
			[{ item: 2 }, receiver.url('/c'), 'sent'],
		]);
		expect(String(output[2].json.error)).toMatch(/user name or password are not allowed/);
		expect(JSON.stringify(output)).not.toContain('pass@'); // the refused URL is shown without its password
		// The endpoints field routes the event; it is not sent with it.
		expect(receiver.on('/a').map((request) => JSON.parse(request.body).data)).toEqual([{ order: 1 }]);

		for (const hostile of [{ endpoints: 42 }, { endpoints: null }, { other: 'x' }, { endpoints: [] }]) {
			const ctx = executeContext({ description: node.description, items: [hostile], parameters });
			await expect(node.execute.call(ctx)).rejects.toThrow('Item 0 has no endpoints in its field "endpoints"');
		}
	});

	test('Failed Deliveries: a second output, or the node stops; hints count what was not sent', async () => {
		receiver.script('/up', { status: 200 }, { status: 200 }).script('/down', { status: 500 }, { status: 500 });
		const items = [{ n: 1, endpoints: [{ name: 'up', url: receiver.url('/up') }, { name: 'down', url: receiver.url('/down') }] }];
		const options = { ...loopback, maxAttempts: 1, finalStatusCodes: '500' };

		const split = executeContext({ description: node.description, items, parameters: { ...dropped({ endpointSource: 'field' }), options: { ...options, failedDeliveries: 'secondOutput' } } });
		const [sent, failed] = await node.execute.call(split);
		expect(sent.map((item) => item.json.endpointName)).toEqual(['up']);
		expect(failed.map((item) => [item.json.endpointName, item.json.status, item.json.responseCode])).toEqual([['down', 'failed', 500]]);
		expect(hintsOf(split)).toEqual(['1 of 2 deliveries failed']);

		const together = executeContext({ description: node.description, items, parameters: { ...dropped({ endpointSource: 'field' }), options } });
		expect((await node.execute.call(together)).map((output) => output.length)).toEqual([2]);

		const stop = executeContext({ description: node.description, items, parameters: { ...dropped({ endpointSource: 'field' }), options: { ...options, failedDeliveries: 'error' } } });
		const error = await node.execute.call(stop).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('1 of 2 deliveries were not sent');
		expect((error as NodeOperationError).description).toContain('down');
	});

	test('no endpoint subscribed says so in a hint', async () => {
		const items: IDataObject[] = [{ type: 'invoice.paid', data: {} }];
		const ctx = executeContext({
			description: node.description,
			items,
			parameters: { ...dropped({ endpointSource: 'list', endpoints: [{ name: 'orders', url: receiver.url('/o'), eventTypes: 'order.created' }] }), options: loopback },
		});
		expect(await node.execute.call(ctx)).toEqual([[]]);
		expect(hintsOf(ctx)).toEqual(['No endpoint is subscribed to these events (or every endpoint is inactive)']);
	});
});
