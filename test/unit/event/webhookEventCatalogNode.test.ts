import { WebhookEventCatalog } from '../../../nodes/WebhookEventCatalog/WebhookEventCatalog.node';
import { eventCatalog, findEventType, sampleEvent } from '../../../nodes/shared/event/catalog';
import { invoiceOverdueRow } from '../../helpers/customEventTypes';
import { executeContext } from '../../helpers/executeContext';

const run = (parameters: Record<string, unknown>, options: { items?: number; continueOnFail?: boolean } = {}) =>
	new WebhookEventCatalog().execute.call(
		executeContext({
			items: Array.from({ length: options.items ?? 1 }, () => ({})),
			parameters,
			continueOnFail: options.continueOnFail,
			nodeType: 'n8n-nodes-webhook-notifications.webhookEventCatalog',
		}),
	);

describe('Webhook Event Catalog node', () => {
	test('lists every event type with label, description, system and the sample event the triggers emit', async () => {
		const [items] = await run({ system: 'all', eventTypes: '', includeSample: true });
		expect(items).toHaveLength(eventCatalog.length);
		expect(items[0]).toEqual({
			json: {
				type: 'customer.created',
				label: 'Customer Created',
				description: findEventType('customer.created')!.description,
				system: 'billing',
				sample: sampleEvent(findEventType('customer.created')!),
			},
			pairedItem: { item: 0 },
		});
	});

	test('filters by system and by type, with prefix patterns', async () => {
		const [shipping] = await run({ system: 'shipping', eventTypes: '', includeSample: false });
		expect(shipping.map((item) => item.json.type)).toEqual(['shipping.order.created', 'shipping.order.updated', 'shipping.order.deleted', 'shipping.shipment.created']);
		expect(shipping[0].json).not.toHaveProperty('sample');

		const [some] = await run({ system: 'all', eventTypes: 'credit_memo.*, order.activated', includeSample: false });
		expect(some.map((item) => item.json.type)).toEqual([
			'order.activated',
			'credit_memo.created',
			'credit_memo.activated',
			'credit_memo.canceled',
			'credit_memo.applied',
			'credit_memo.unapplied',
		]);
		const [none] = await run({ system: 'shipping', eventTypes: 'invoice.*', includeSample: false });
		expect(none).toEqual([]);
	});

	test('an unknown type stops the node with a clear error, or becomes an error item with Continue On Fail', async () => {
		await expect(run({ system: 'all', eventTypes: 'invoice.exploded' })).rejects.toThrow('"invoice.exploded" is not an event type of the catalog');
		const [items] = await run({ system: 'all', eventTypes: 'invoice.exploded' }, { continueOnFail: true });
		expect(items).toEqual([{ json: { error: '"invoice.exploded" is not an event type of the catalog' }, pairedItem: { item: 0 } }]);
	});

	test('runs once per input item, each output paired with its item', async () => {
		const [items] = await run({ system: 'shipping', eventTypes: 'shipping.shipment.created', includeSample: false }, { items: 2 });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('lists the custom event types it is given (rows of webhook_event_types), and the rows it left out with their reason', async () => {
		const rows = [{ id: 1, ...invoiceOverdueRow }, { id: 2, eventType: 'invoice.paid', system: 'billing', sample: '{}' }];
		const [items] = await run({ system: 'billing', eventTypes: 'invoice.overdue', includeSample: true, customEventTypes: rows });
		expect(items.map((item) => item.json)).toEqual([
			{ type: 'invoice.overdue', label: 'Invoice Overdue', description: invoiceOverdueRow.description, system: 'billing', custom: true, sample: expect.objectContaining({ type: 'invoice.overdue', id: 'evt_sample_invoice_overdue' }) },
			{ type: 'invoice.paid', custom: true, row: 2, error: '"invoice.paid" is a built-in event type; a custom row cannot redefine it' },
		]);
		// As JSON text too (an expression may give a string); an empty table's one empty item is no type.
		const [fromText] = await run({ system: 'all', eventTypes: '', includeSample: false, customEventTypes: JSON.stringify([invoiceOverdueRow]) });
		expect(fromText).toHaveLength(eventCatalog.length + 1);
		const [empty] = await run({ system: 'all', eventTypes: '', includeSample: false, customEventTypes: [{}] });
		expect(empty).toHaveLength(eventCatalog.length);
		await expect(run({ system: 'all', eventTypes: '', customEventTypes: '[{oops' })).rejects.toThrow('Custom Event Types is not valid JSON');
	});
});
