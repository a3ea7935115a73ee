import { findEventType, validateEvent, validateEventData, type EventTypeDefinition } from '../../../nodes/shared/event/catalog';

const definition = (type: string): EventTypeDefinition => findEventType(type)!;
/** The sample's data with a change at a path; `undefined` deletes the field. */
function changed(type: string, path: string, value: unknown): Record<string, unknown> {
	const data = structuredClone(definition(type).sample);
	const keys = path.split('.');
	let target: Record<string, unknown> = data;
	for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
	if (value === undefined) delete target[keys[keys.length - 1]];
	else target[keys[keys.length - 1]] = value;
	return data;
}

describe('catalog schemas are strict where the sources are specific', () => {
	test.each([
		['order.activated', 'order.status', 'Draft', 'data.order.status', 'must be "Activated" for this event'],
		['order.activated', 'order.activatedDate', null, 'data.order.activatedDate', 'Expected string, received null'],
		['order.activated', 'order.id', '', 'data.order.id', 'must not be empty'],
		['order.activated', 'order.totalAmount', '3000', 'data.order.totalAmount', 'Expected number, received string'],
		['order.activated', 'order.orderPlacedDate', '2024 11 11', 'data.order.orderPlacedDate', 'must be a date like "2024-11-01"'],
		['order.activated', 'order.createdDate', 'yesterday', 'data.order.createdDate', 'must be an ISO 8601 date-time'],
		['order.activated', 'orderProducts', [], 'data.orderProducts', 'an order has at least one order product'],
		['order.activated', 'orderProducts.0.quantity', undefined, 'data.orderProducts.0.quantity', 'Required'],
		['order.canceled', 'order.status', 'Activated', 'data.order.status', 'must be "Canceled" for this event'],
		['invoice.paid', 'invoice.paymentStatus', 'Unpaid', 'data.invoice.paymentStatus', 'must be "Paid" for this event'],
		['invoice.activated', 'invoice.currencyIsoCode', 'usd', 'data.invoice.currencyIsoCode', 'must be an ISO 4217 currency code like "USD"'],
		['invoice.payment_processed', 'payment.amount', -5, 'data.payment.amount', 'Number must be greater than 0'],
		['invoice.written_off', 'writeOff.partial', 'yes', 'data.writeOff.partial', 'Expected boolean, received string'],
		['payment.assigned', 'assignments', [], 'data.assignments', 'a payment is assigned to at least one invoice'],
		['credit_memo.applied', 'application.targetType', 'Order', 'data.application.targetType', 'must be "Invoice" or "DebitMemo" for this event'],
		['billing_job.completed_with_error', 'billingJob.errors', [], 'data.billingJob.errors', 'lists at least one error'],
		['billing_job.failed', 'billingJob.errorMessage', null, 'data.billingJob.errorMessage', 'Expected string, received null'],
		['price_tier.updated', 'priceTier.chargeMethod', 'Weird', 'data.priceTier.chargeMethod', 'must be "PerUnit" or "FlatFee" for this event'],
		['subscription.updated', 'changedFields', [], 'data.changedFields', 'lists at least one changed field'],
		['user.created', 'user.email', 'not-an-email', 'data.user.email', 'Invalid email'],
		['shipping.shipment.created', 'shipment.parcels', [], 'data.shipment.parcels', 'a shipment has at least one parcel'],
		['shipping.shipment.created', 'shipment.trackingNumber', undefined, 'data.shipment.trackingNumber', 'Required'],
		['shipping.order.created', 'order.receiver.countryCode', 'Sweden', 'data.order.receiver.countryCode', 'must be an ISO 3166 alpha-2 country code like "SE"'],
		['shipping.order.created', 'order.lines.0.quantity', 0, 'data.order.lines.0.quantity', 'Number must be greater than 0'],
		['shipping.order.updated', 'order.updatedAt', null, 'data.order.updatedAt', 'Expected string, received null'],
	])('%s with %s = %j: %s', (type, path, value, issuePath, message) => {
		expect(validateEventData(definition(type), changed(type, path, value))).toContainEqual({ path: issuePath, message });
	});

	test('statuses compare without case, spaces or underscores', () => {
		expect(validateEventData(definition('order.activated'), changed('order.activated', 'order.status', 'ACTIVATED'))).toEqual([]);
		expect(validateEventData(definition('invoice.written_off'), changed('invoice.written_off', 'invoice.paymentStatus', 'partially_written_off'))).toEqual([]);
	});

	test('and tolerant of fields the sources add', () => {
		const data = changed('order.activated', 'order.someNewField', { nested: [1, 2] });
		(data as { brandNewTopLevel?: string }).brandNewTopLevel = 'x';
		expect(validateEventData(definition('order.activated'), data)).toEqual([]);
	});

	test('optional records may be absent or null where the source sends null', () => {
		expect(validateEventData(definition('order.created'), changed('order.created', 'subscriptions', undefined))).toEqual([]);
		expect(validateEventData(definition('order.created'), changed('order.created', 'order.poNumber', null))).toEqual([]);
	});

	test('validateEvent checks the envelope first, then the data, and can be limited to one system', () => {
		const sample = { type: 'invoice.paid', data: definition('invoice.paid').sample };
		expect(validateEvent(sample).ok).toBe(true);
		expect(validateEvent(sample, { system: 'shipping' })).toEqual({
			ok: false,
			issues: [{ path: 'type', message: '"invoice.paid" is not a shipping event type of the catalog' }],
		});
		expect(validateEvent({ type: 'invoice.paid' })).toEqual({ ok: false, issues: [{ path: 'data', message: 'Required' }] });
		expect(validateEvent([])).toEqual({ ok: false, issues: [{ path: '(root)', message: 'an event must be a JSON object' }] });
	});
});
