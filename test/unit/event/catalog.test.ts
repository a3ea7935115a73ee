import { parseEnvelope } from '../../../nodes/shared/event/envelope';
import {
	eventCatalog,
	eventTypesOf,
	findEventType,
	sampleEvent,
	validateEvent,
	validateEventData,
} from '../../../nodes/shared/event/catalog';

/** The event types the issue names, word for word: the catalog must have exactly these. */
const billingTypes = [
	'customer.created',
	'customer.updated',
	'customer.deleted',
	'customer.first_order_placed',
	'order.created',
	'order.activated',
	'order.canceled',
	'invoice.created',
	'invoice.activated',
	'invoice.canceled',
	'invoice.payment_processed',
	'invoice.refund_processed',
	'invoice.paid',
	'invoice.refunded',
	'invoice.written_off',
	'invoice.archived',
	'payment.assigned',
	'credit_memo.created',
	'credit_memo.activated',
	'credit_memo.canceled',
	'credit_memo.applied',
	'credit_memo.unapplied',
	'billing_job.completed',
	'billing_job.completed_with_error',
	'billing_job.failed',
	'price_tag.created',
	'price_tag.updated',
	'price_tag.deleted',
	'price_tier.created',
	'price_tier.updated',
	'price_tier.deleted',
	'subscription.updated',
	'user.created',
];
const shippingTypes = ['shipping.order.created', 'shipping.order.updated', 'shipping.order.deleted', 'shipping.shipment.created'];

describe('event catalog', () => {
	it('has every event type named in the seeds, and no other', () => {
		expect(eventTypesOf('billing').map((d) => d.type).sort()).toEqual([...billingTypes].sort());
		expect(eventTypesOf('shipping').map((d) => d.type).sort()).toEqual([...shippingTypes].sort());
		expect(eventCatalog).toHaveLength(billingTypes.length + shippingTypes.length);
		for (const type of [...billingTypes, ...shippingTypes]) expect(findEventType(type)?.type).toBe(type);
	});

	it('gives every type a label, a description and a system', () => {
		for (const definition of eventCatalog) {
			expect(definition.label).toMatch(/^[A-Z][A-Za-z ]+$/);
			expect(definition.description.length).toBeGreaterThan(10);
			expect(['billing', 'shipping']).toContain(definition.system);
		}
		expect(new Set(eventCatalog.map((d) => d.label)).size).toBe(eventCatalog.length);
	});

	it.each(eventCatalog.map((d) => [d.type, d] as const))('sample of %s validates against its own schema', (_type, definition) => {
		expect(validateEventData(definition, definition.sample)).toEqual([]);
	});

	it.each(eventCatalog.map((d) => [d.type, d] as const))('sample envelope of %s is a valid WebhookEvent with a resource id', (_type, definition) => {
		const event = sampleEvent(definition);
		expect(validateEvent(event)).toEqual({ ok: true, event, definition });
		const reparsed = parseEnvelope(JSON.parse(JSON.stringify(event)));
		expect(reparsed).toEqual({ ok: true, event });
		expect(event.resourceId).toBeTruthy();
		expect(event.channels?.length).toBe(1);
	});

	it('does not let a sample be changed through a sample envelope', () => {
		const definition = findEventType('order.activated')!;
		const event = sampleEvent(definition);
		(event.data.order as Record<string, unknown>).status = 'Changed';
		expect((definition.sample.order as Record<string, unknown>).status).toBe('Activated');
	});
});
