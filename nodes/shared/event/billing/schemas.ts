import { z } from 'zod';

import {
	amount,
	count,
	currency,
	id,
	isoDate,
	isoDateTime,
	object,
	statusIs,
	stringAt,
	text,
	type EventData,
	type EventTypeDefinition,
} from '../types';

/*
 * Billing events. Names and descriptions come from the product pages in the seeds (a subscription
 * billing platform's webhook list, an invoicing platform's "invoice archived" and "payment assigned"
 * notifications, and a back office's "user created" trigger). Payload shapes follow the order
 * sample in the billing platform's documentation: a record per resource ("order", "invoice",
 * ...) with its line records beside it, camelCase fields, ISO dates, amounts as numbers.
 */

const nullableText = text.nullish();
const nullableId = id.nullish();
const nullableDate = isoDate.nullish();
const nullableDateTime = isoDateTime.nullish();
const nullableAmount = amount.nullish();

const address = object({
	street: nullableText,
	city: nullableText,
	state: nullableText,
	postalCode: nullableText,
	country: nullableText,
});

const customer = object({
	id,
	name: text.min(1),
	accountNumber: nullableText,
	email: z.string().email().nullish(),
	phone: nullableText,
	recordType: nullableText,
	billingAddress: address.nullish(),
	shippingAddress: address.nullish(),
	currencyIsoCode: currency.nullish(),
	paymentTerm: nullableText,
	createdDate: isoDateTime,
	lastModifiedDate: nullableDateTime,
});

const order = object({
	id,
	orderNumber: text.min(1),
	name: nullableText,
	status: text.min(1),
	customerId: id,
	billingAccountId: nullableId,
	ownerId: nullableId,
	pricebookId: nullableId,
	orderPlacedDate: nullableDate,
	orderStartDate: nullableDate,
	subscriptionStartDate: nullableDate,
	subscriptionEndDate: nullableDate,
	subscriptionTerm: z.number().int().nullish(),
	billingPeriod: nullableText,
	paymentMethod: nullableText,
	listTotal: nullableAmount,
	subtotal: amount,
	discountAmount: nullableAmount,
	tax: amount,
	totalPrice: nullableAmount,
	totalAmount: amount,
	grandTotal: nullableAmount,
	orderACV: nullableAmount,
	orderTCV: nullableAmount,
	createdDate: isoDateTime,
	activatedDate: nullableDateTime,
	canceledDate: nullableDateTime,
	lastModifiedDate: nullableDateTime,
});

const orderProduct = object({
	id,
	orderId: id,
	productId: id,
	productName: text.min(1),
	sku: nullableText,
	status: nullableText,
	lineType: nullableText,
	changeType: nullableText,
	quantity: amount,
	listPrice: nullableAmount,
	netSalesPrice: nullableAmount,
	subtotal: amount,
	tax: nullableAmount,
	totalPrice: amount,
	totalAmount: amount,
	billingPeriod: nullableText,
	billingTiming: nullableText,
	subscriptionStartDate: nullableDate,
	subscriptionEndDate: nullableDate,
	subscriptionTerm: z.number().int().nullish(),
	assetId: nullableId,
	assetNumber: nullableText,
	createdDate: nullableDateTime,
	lastModifiedDate: nullableDateTime,
});

const subscriptionRecord = object({
	id,
	assetNumber: text.min(1),
	version: z.number().int().nullish(),
	productId: id,
	productName: nullableText,
	productSku: nullableText,
	quantity: amount,
	startDate: isoDate,
	endDate: nullableDate,
	termType: nullableText,
	accountId: id,
	orderProductId: nullableId,
	totalPrice: nullableAmount,
	billingPeriod: nullableText,
	billingTiming: nullableText,
	createdTime: nullableDateTime,
	lastModifiedTime: nullableDateTime,
});

/** The order payload: the order, its lines and the records the activation created or touched. */
function orderData(orderStatus?: z.ZodTypeAny, required: Partial<Record<'activatedDate' | 'canceledDate', z.ZodTypeAny>> = {}) {
	return object({
		order: order.extend({ ...(orderStatus ? { status: orderStatus } : {}), ...required }),
		orderProducts: z.array(orderProduct).min(1, 'an order has at least one order product'),
		subscriptions: z.array(subscriptionRecord).optional(),
		assets: z.array(z.unknown()).optional(),
		contacts: z.array(z.unknown()).optional(),
		customer: customer.nullish(),
		invoices: z.array(z.unknown()).optional(),
		entitlements: z.array(z.unknown()).optional(),
		changeOrderRequest: z.unknown().optional(),
		linePriceDimensions: z.array(z.unknown()).optional(),
	});
}

const invoice = object({
	id,
	name: text.min(1),
	status: text.min(1),
	paymentStatus: nullableText,
	customerId: id,
	orderId: nullableId,
	invoiceDate: isoDate,
	dueDate: nullableDate,
	startDate: nullableDate,
	endDate: nullableDate,
	amount,
	taxAmount: amount,
	totalAmount: amount,
	balance: amount,
	paidAmount: nullableAmount,
	currencyIsoCode: currency,
	paymentTerm: nullableText,
	activatedDate: nullableDateTime,
	createdDate: isoDateTime,
	lastModifiedDate: nullableDateTime,
});

const invoiceItem = object({
	id,
	invoiceId: id,
	productId: nullableId,
	productName: text.min(1),
	quantity: amount,
	amount,
	taxAmount: amount,
	startDate: nullableDate,
	endDate: nullableDate,
	orderProductId: nullableId,
	subscriptionId: nullableId,
});

function invoiceData(invoiceFields: z.ZodRawShape = {}, extra: z.ZodRawShape = {}) {
	return object({
		invoice: invoice.extend(invoiceFields),
		invoiceItems: z.array(invoiceItem),
		...extra,
	});
}

const creditMemo = object({
	id,
	name: text.min(1),
	status: text.min(1),
	customerId: id,
	sourceInvoiceId: nullableId,
	creditMemoDate: isoDate,
	amount,
	balance: amount,
	currencyIsoCode: currency,
	reason: nullableText,
	activatedDate: nullableDateTime,
	createdDate: isoDateTime,
});

const creditMemoItem = object({ id, creditMemoId: id, productName: text.min(1), quantity: amount, amount, taxAmount: amount });

function creditMemoData(creditMemoFields: z.ZodRawShape = {}, extra: z.ZodRawShape = {}) {
	return object({
		creditMemo: creditMemo.extend(creditMemoFields),
		creditMemoItems: z.array(creditMemoItem).optional(),
		...extra,
	});
}

const application = (dateField: 'appliedDate' | 'unappliedDate') =>
	object({
		id,
		targetType: statusIs('Invoice', 'DebitMemo'),
		targetId: id,
		targetNumber: nullableText,
		amount: amount.positive(),
		[dateField]: isoDateTime,
	});

const billingJob = object({
	id,
	name: nullableText,
	status: text.min(1),
	targetDate: isoDate,
	startTime: isoDateTime,
	endTime: nullableDateTime,
	customersProcessed: count,
	invoicesCreated: count,
	errors: z.array(object({ customerId: nullableId, message: text.min(1) })).optional(),
	errorMessage: nullableText,
});

const priceTier = object({
	id,
	priceTagId: id,
	tierNumber: count,
	startUnit: amount,
	endUnit: amount.nullable(),
	chargeMethod: statusIs('PerUnit', 'FlatFee'),
	amount,
	currencyIsoCode: currency.nullish(),
	lastModifiedDate: nullableDateTime,
});

const priceTag = object({
	id,
	name: text.min(1),
	code: text.min(1),
	priceType: statusIs('Recurring', 'OneTime', 'Usage'),
	chargeModel: nullableText,
	currencyIsoCode: currency,
	uomId: nullableId,
	active: z.boolean(),
	startDate: nullableDate,
	endDate: nullableDate,
	tiers: z.array(priceTier.omit({ priceTagId: true }).extend({ priceTagId: nullableId })).optional(),
	lastModifiedDate: isoDateTime,
});

const changedFields = z.array(text.min(1)).min(1, 'lists at least one changed field');

// ---------------------------------------------------------------------------------------------
// Samples: one customer, one order with one product line, the invoices that order produced.

const userId = '0054W00000B2HzoQAF';
const customerId = '0014W00004AcEwWQAV';
const orderId = '8014W000008ZoIhQAK';
const orderProductId = '8024W00000ZbDvKQAV';
const subscriptionId = 'a0R4W000010IvNuUAK';
const productId = '01t4W00000PqS5jQAF';
const invoiceId = 'a0F4W00000XkT2bUAF';

const sampleCustomer = {
	id: customerId,
	name: 'Canva UK',
	accountNumber: 'ACC-001184',
	email: 'billing@canva-uk.example',
	phone: '+44 20 7946 0958',
	recordType: 'Business',
	billingAddress: { street: '110 Bishopsgate', city: 'London', state: null, postalCode: 'EC2N 4AY', country: 'GB' },
	shippingAddress: null,
	currencyIsoCode: 'USD',
	paymentTerm: 'Net 30',
	billCycleDay: '1st of Month',
	timezone: 'Europe/London',
	createdDate: '2024-10-02T09:14:31.000+00:00',
	lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
};

function sampleOrder(status: string, dates: Record<string, string | null>) {
	return {
		id: orderId,
		orderNumber: '00002058',
		name: 'Canva UK - Pipedrive Documents',
		status,
		orderType: 'New',
		customerId,
		billingAccountId: customerId,
		ownerId: userId,
		createdById: userId,
		lastModifiedById: userId,
		pricebookId: '01s4W000001FaHyQAK',
		orderPlacedDate: '2024-11-11',
		orderStartDate: '2024-11-01',
		subscriptionStartDate: '2024-11-01',
		subscriptionEndDate: '2025-10-31',
		subscriptionTerm: 12,
		billingPeriod: 'Month',
		billCycleDay: null,
		paymentMethod: 'ACH',
		poNumber: null,
		poDate: null,
		description: null,
		listTotal: 3000,
		subtotal: 3000,
		discount: 0,
		discountAmount: 0,
		systemDiscount: 0,
		systemDiscountAmount: 0,
		tax: 0,
		totalPrice: 3000,
		totalAmount: 3000,
		totalAmountWithoutTax: 3000,
		grandTotal: null,
		orderACV: 3000,
		orderTCV: 3000,
		billingAddress: null,
		shippingAddress: null,
		isShippingAddressSameAsBilling: true,
		cancelOnPaymentFail: false,
		createdDate: '2024-11-11T22:11:56.000+00:00',
		activatedDate: null,
		canceledDate: null,
		lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
		...dates,
	};
}

function sampleOrderProduct(status: string) {
	return {
		id: orderProductId,
		orderId,
		name: '0000009223',
		productId,
		productName: 'Pipedrive Documents',
		sku: 'PIPEDRIVE10-1724900663615',
		status,
		lineType: 'LineItem',
		changeType: 'NewProduct',
		quantity: 250,
		actualQuantity: 250,
		listPrice: 1,
		netSalesPrice: 1,
		listTotalPrice: 3000,
		subtotal: 3000,
		discount: 0,
		discountAmount: 0,
		tax: 0,
		taxCode: 'SW056003',
		totalPrice: 3000,
		totalAmount: 3000,
		totalAmountWithoutTax: 3000,
		deltaACV: 3000,
		deltaARR: 3000,
		deltaTCV: 3000,
		deltaCMRR: 250,
		billingPeriod: 'Month',
		billingTiming: 'In Arrears',
		subscriptionStartDate: '2024-11-01',
		subscriptionEndDate: '2025-10-31',
		subscriptionTerm: 12,
		autoRenew: false,
		evergreen: false,
		assetId: subscriptionId,
		assetNumber: 'SUB-004472',
		assetType: 'Subscription',
		uomId: 'a0T4W00000RgGmoQAF',
		pricebookEntryId: '01u4W00000R60AuQAJ',
		sortOrder: 1,
		createdDate: '2024-11-11T22:11:57.000+00:00',
		lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
	};
}

const sampleSubscription = {
	id: subscriptionId,
	assetNumber: 'SUB-004472',
	version: 1,
	productId,
	productName: 'Pipedrive Documents',
	productSku: 'PIPEDRIVE10',
	quantity: 250,
	startDate: '2024-11-01',
	endDate: '2025-10-31',
	termType: 'Month',
	zoneId: 'America/Los_Angeles',
	accountId: customerId,
	billingAccountId: customerId,
	orderProductId,
	assetType: 'Subscription',
	evergreen: false,
	priceModel: 'Usage',
	windowSize: 'Day',
	totalPrice: 3000,
	taxAmount: 0,
	billingPeriod: 'Month',
	billingTiming: 'In Arrears',
	delaySecondsForRating: 300,
	createdTime: '2024-11-11T22:11:58.000+00:00',
	lastModifiedTime: '2024-11-11T22:11:58.000+00:00',
};

function sampleOrderData(status: string, dates: Record<string, string | null>, withSubscriptions: boolean) {
	return {
		order: sampleOrder(status, dates),
		orderProducts: [sampleOrderProduct(status)],
		subscriptions: withSubscriptions ? [sampleSubscription] : [],
		assets: [],
		contacts: [],
		customer: null,
		invoices: [],
		entitlements: [],
		changeOrderRequest: null,
		linePriceDimensions: [],
	};
}

function sampleInvoice(fields: Record<string, unknown>) {
	return {
		id: invoiceId,
		name: 'INV-00001234',
		status: 'Active',
		paymentStatus: 'Unpaid',
		customerId,
		orderId,
		invoiceDate: '2024-12-01',
		dueDate: '2024-12-31',
		startDate: '2024-11-01',
		endDate: '2024-11-30',
		amount: 250,
		taxAmount: 0,
		totalAmount: 250,
		balance: 250,
		paidAmount: 0,
		currencyIsoCode: 'USD',
		paymentTerm: 'Net 30',
		activatedDate: '2024-12-01T06:00:12.000+00:00',
		createdDate: '2024-12-01T06:00:04.000+00:00',
		lastModifiedDate: '2024-12-01T06:00:12.000+00:00',
		...fields,
	};
}

const sampleInvoiceItems = [
	{
		id: 'a0G4W00000LmQ7cUAF',
		invoiceId,
		productId,
		productName: 'Pipedrive Documents',
		quantity: 250,
		amount: 250,
		taxAmount: 0,
		startDate: '2024-11-01',
		endDate: '2024-11-30',
		orderProductId,
		subscriptionId,
	},
];

const samplePayment = {
	id: 'a0P4W00000Hx81aUAB',
	amount: 250,
	currencyIsoCode: 'USD',
	paymentMethod: 'ACH',
	status: 'Succeeded',
	transactionId: 'py_3QJ1xK2eZvKYlo2C0x8f1Vt4',
	processedDate: '2024-12-27T14:03:51.000+00:00',
};

function sampleCreditMemo(fields: Record<string, unknown>) {
	return {
		id: 'a0C4W00000FfR3tUAF',
		name: 'CM-00000311',
		status: 'Active',
		customerId,
		sourceInvoiceId: invoiceId,
		creditMemoDate: '2024-12-05',
		amount: 50,
		balance: 50,
		currencyIsoCode: 'USD',
		reason: 'Service credit for outage on 2024-11-19',
		activatedDate: '2024-12-05T10:22:40.000+00:00',
		createdDate: '2024-12-05T10:21:09.000+00:00',
		...fields,
	};
}

const sampleCreditMemoItems = [
	{ id: 'a0D4W00000Ab12cUAB', creditMemoId: 'a0C4W00000FfR3tUAF', productName: 'Pipedrive Documents', quantity: 1, amount: 50, taxAmount: 0 },
];

function sampleBillingJob(fields: Record<string, unknown>) {
	return {
		id: 'a0J4W00000BjQ9xUAF',
		name: 'Monthly billing - December 2024',
		status: 'Completed',
		targetDate: '2024-12-01',
		startTime: '2024-12-01T06:00:00.000+00:00',
		endTime: '2024-12-01T06:04:37.000+00:00',
		customersProcessed: 412,
		invoicesCreated: 398,
		errors: [],
		errorMessage: null,
		...fields,
	};
}

const samplePriceTag = {
	id: 'a0V4W00000Pt7SxUAJ',
	name: 'Pipedrive Documents - Volume',
	code: 'PT-DOCS-VOLUME',
	priceType: 'Recurring',
	chargeModel: 'Volume',
	currencyIsoCode: 'USD',
	uomId: 'a0T4W00000RgGmoQAF',
	active: true,
	startDate: '2025-01-01',
	endDate: null,
	tiers: [
		{ id: 'a0W4W00000Tr1AaUAJ', tierNumber: 1, startUnit: 0, endUnit: 100, chargeMethod: 'PerUnit', amount: 1.2, priceTagId: 'a0V4W00000Pt7SxUAJ' },
		{ id: 'a0W4W00000Tr1AbUAJ', tierNumber: 2, startUnit: 100, endUnit: null, chargeMethod: 'PerUnit', amount: 0.9, priceTagId: 'a0V4W00000Pt7SxUAJ' },
	],
	lastModifiedDate: '2024-12-10T16:45:02.000+00:00',
};

const samplePriceTier = {
	id: 'a0W4W00000Tr1AbUAJ',
	priceTagId: 'a0V4W00000Pt7SxUAJ',
	tierNumber: 2,
	startUnit: 100,
	endUnit: null,
	chargeMethod: 'PerUnit',
	amount: 0.9,
	currencyIsoCode: 'USD',
	lastModifiedDate: '2024-12-10T16:45:02.000+00:00',
};

const sampleChannels = ['client_1bd942c0-4cec-486f-be7a-7b14118ad4ad'];

// ---------------------------------------------------------------------------------------------

const resourceAt =
	(...path: string[]) =>
	(data: EventData) =>
		stringAt(data, ...path);

function billing(definition: Omit<EventTypeDefinition, 'system' | 'sampleChannels'>): EventTypeDefinition {
	return { ...definition, system: 'billing', sampleChannels };
}

const customerResource = resourceAt('customer', 'id');
const orderResource = resourceAt('order', 'id');
const invoiceResource = resourceAt('invoice', 'id');
const creditMemoResource = resourceAt('creditMemo', 'id');
const billingJobResource = resourceAt('billingJob', 'id');
const priceTagResource = resourceAt('priceTag', 'id');
const priceTierResource = resourceAt('priceTier', 'id');

export const billingEventTypes: EventTypeDefinition[] = [
	billing({
		type: 'customer.created',
		label: 'Customer Created',
		description: 'A customer was created, including customers synced from a CRM or created via the self-service API.',
		schema: object({ customer }),
		sample: { customer: sampleCustomer },
		resourceId: customerResource,
	}),
	billing({
		type: 'customer.updated',
		label: 'Customer Updated',
		description: 'A customer was updated, including updates synced from a CRM or made via the self-service API.',
		schema: object({ customer, changedFields: changedFields.optional() }),
		sample: { customer: sampleCustomer, changedFields: ['email', 'billingAddress'] },
		resourceId: customerResource,
	}),
	billing({
		type: 'customer.deleted',
		label: 'Customer Deleted',
		description: 'A customer was deleted, normally via the self-service API.',
		schema: object({ customer: object({ id, name: text.optional() }), deletedDate: isoDateTime }),
		sample: { customer: { id: customerId, name: 'Canva UK' }, deletedDate: '2025-02-03T11:30:00.000+00:00' },
		resourceId: customerResource,
	}),
	billing({
		type: 'customer.first_order_placed',
		label: 'Customer First Order Placed',
		description: "A customer's first order was placed, including orders synced from a CRM or created via the self-service API.",
		schema: object({
			customer,
			order: object({ id, orderNumber: text.min(1), status: text.min(1), orderPlacedDate: isoDate, totalAmount: amount }),
		}),
		sample: {
			customer: sampleCustomer,
			order: { id: orderId, orderNumber: '00002058', status: 'Activated', orderPlacedDate: '2024-11-11', totalAmount: 3000 },
		},
		resourceId: customerResource,
	}),
	billing({
		type: 'order.created',
		label: 'Order Created',
		description: 'An order was created, including orders placed in a CRM or via the self-service API.',
		schema: orderData(),
		sample: sampleOrderData('Draft', {}, false),
		resourceId: orderResource,
	}),
	billing({
		type: 'order.activated',
		label: 'Order Activated',
		description: 'An order was activated, including orders placed in a CRM or via the self-service API.',
		schema: orderData(statusIs('Activated'), { activatedDate: isoDateTime }),
		sample: sampleOrderData('Activated', { activatedDate: '2024-11-11T22:11:58.000+00:00' }, true),
		resourceId: orderResource,
	}),
	billing({
		type: 'order.canceled',
		label: 'Order Canceled',
		description: 'An order was canceled, including orders placed in a CRM or via the self-service API.',
		schema: orderData(statusIs('Canceled'), { canceledDate: isoDateTime }),
		sample: sampleOrderData('Canceled', { canceledDate: '2024-11-14T08:02:19.000+00:00', lastModifiedDate: '2024-11-14T08:02:19.000+00:00' }, false),
		resourceId: orderResource,
	}),
	billing({
		type: 'invoice.created',
		label: 'Invoice Created',
		description: 'An invoice was created.',
		schema: invoiceData(),
		sample: { invoice: sampleInvoice({ status: 'Draft', activatedDate: null }), invoiceItems: sampleInvoiceItems },
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.activated',
		label: 'Invoice Activated',
		description: 'An invoice was activated.',
		schema: invoiceData({ status: statusIs('Active', 'Activated', 'Posted'), activatedDate: isoDateTime }),
		sample: { invoice: sampleInvoice({}), invoiceItems: sampleInvoiceItems },
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.canceled',
		label: 'Invoice Canceled',
		description: 'An invoice was canceled.',
		schema: invoiceData({ status: statusIs('Canceled') }),
		sample: {
			invoice: sampleInvoice({ status: 'Canceled', balance: 0, lastModifiedDate: '2024-12-03T09:15:00.000+00:00' }),
			invoiceItems: sampleInvoiceItems,
		},
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.payment_processed',
		label: 'Invoice Payment Processed',
		description: 'A payment attempt for an invoice succeeded.',
		schema: invoiceData(
			{},
			{
				payment: object({
					id,
					amount: amount.positive(),
					currencyIsoCode: currency,
					paymentMethod: text.min(1),
					status: nullableText,
					transactionId: nullableText,
					processedDate: isoDateTime,
				}),
			},
		),
		sample: {
			invoice: sampleInvoice({ paymentStatus: 'Paid', balance: 0, paidAmount: 250 }),
			invoiceItems: sampleInvoiceItems,
			payment: samplePayment,
		},
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.refund_processed',
		label: 'Invoice Refund Processed',
		description: 'A refund attempt for an invoice succeeded.',
		schema: invoiceData(
			{},
			{
				refund: object({
					id,
					paymentId: nullableId,
					amount: amount.positive(),
					currencyIsoCode: currency,
					processedDate: isoDateTime,
					reason: nullableText,
				}),
			},
		),
		sample: {
			invoice: sampleInvoice({ paymentStatus: 'Refunded', balance: 0, paidAmount: 0 }),
			invoiceItems: sampleInvoiceItems,
			refund: {
				id: 'a0Q4W00000Rf2ZkUAJ',
				paymentId: samplePayment.id,
				amount: 250,
				currencyIsoCode: 'USD',
				processedDate: '2025-01-08T10:41:22.000+00:00',
				reason: 'Duplicate payment',
			},
		},
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.paid',
		label: 'Invoice Paid',
		description: "An invoice's payment status was marked as paid.",
		schema: invoiceData({ paymentStatus: statusIs('Paid') }),
		sample: { invoice: sampleInvoice({ paymentStatus: 'Paid', balance: 0, paidAmount: 250 }), invoiceItems: sampleInvoiceItems },
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.refunded',
		label: 'Invoice Refunded',
		description: "An invoice's payment status was marked as refunded.",
		schema: invoiceData({ paymentStatus: statusIs('Refunded') }),
		sample: { invoice: sampleInvoice({ paymentStatus: 'Refunded', balance: 0, paidAmount: 0 }), invoiceItems: sampleInvoiceItems },
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.written_off',
		label: 'Invoice Written Off',
		description: 'An invoice was written off or partially written off.',
		schema: invoiceData(
			{ paymentStatus: statusIs('WrittenOff', 'PartiallyWrittenOff') },
			{ writeOff: object({ amount: amount.positive(), partial: z.boolean(), writtenOffDate: isoDateTime, reason: nullableText }) },
		),
		sample: {
			invoice: sampleInvoice({ paymentStatus: 'PartiallyWrittenOff', balance: 200 }),
			invoiceItems: sampleInvoiceItems,
			writeOff: { amount: 50, partial: true, writtenOffDate: '2025-03-31T17:00:00.000+00:00', reason: 'Goodwill adjustment' },
		},
		resourceId: invoiceResource,
	}),
	billing({
		type: 'invoice.archived',
		label: 'Invoice Archived',
		description: 'An invoice document was archived and is ready to be sent to the customer.',
		schema: invoiceData(
			{},
			{
				document: object({
					id,
					fileName: text.min(1),
					mimeType: text.min(1),
					archivedAt: isoDateTime,
					url: z.string().url().nullish(),
				}),
			},
		),
		sample: {
			invoice: sampleInvoice({}),
			invoiceItems: sampleInvoiceItems,
			document: {
				id: 'doc_7f3a9c21',
				fileName: 'INV-00001234.pdf',
				mimeType: 'application/pdf',
				archivedAt: '2024-12-01T06:00:31.000+00:00',
				url: 'https://billing.example.com/documents/doc_7f3a9c21',
			},
		},
		resourceId: invoiceResource,
	}),
	billing({
		type: 'payment.assigned',
		label: 'Payment Assigned',
		description: 'A customer payment was assigned to one or more invoices.',
		schema: object({
			payment: object({
				id,
				amount: amount.positive(),
				currencyIsoCode: currency,
				customerId: id,
				receivedDate: isoDate,
				paymentMethod: nullableText,
				reference: nullableText,
			}),
			assignments: z
				.array(object({ invoiceId: id, invoiceNumber: nullableText, amount: amount.positive(), assignedDate: nullableDateTime }))
				.min(1, 'a payment is assigned to at least one invoice'),
		}),
		sample: {
			payment: {
				id: 'pay_01HF8Z6W3N2Q',
				amount: 250,
				currencyIsoCode: 'USD',
				customerId,
				receivedDate: '2024-12-27',
				paymentMethod: 'Bank Transfer',
				reference: 'INV-00001234 CANVA UK',
			},
			assignments: [{ invoiceId, invoiceNumber: 'INV-00001234', amount: 250, assignedDate: '2024-12-27T14:05:10.000+00:00' }],
		},
		resourceId: resourceAt('payment', 'id'),
	}),
	billing({
		type: 'credit_memo.created',
		label: 'Credit Memo Created',
		description: 'A credit memo was created.',
		schema: creditMemoData(),
		sample: { creditMemo: sampleCreditMemo({ status: 'Draft', activatedDate: null }), creditMemoItems: sampleCreditMemoItems },
		resourceId: creditMemoResource,
	}),
	billing({
		type: 'credit_memo.activated',
		label: 'Credit Memo Activated',
		description: 'A credit memo was activated.',
		schema: creditMemoData({ status: statusIs('Active', 'Activated'), activatedDate: isoDateTime }),
		sample: { creditMemo: sampleCreditMemo({}), creditMemoItems: sampleCreditMemoItems },
		resourceId: creditMemoResource,
	}),
	billing({
		type: 'credit_memo.canceled',
		label: 'Credit Memo Canceled',
		description: 'A credit memo was canceled.',
		schema: creditMemoData({ status: statusIs('Canceled') }),
		sample: { creditMemo: sampleCreditMemo({ status: 'Canceled', balance: 0 }), creditMemoItems: sampleCreditMemoItems },
		resourceId: creditMemoResource,
	}),
	billing({
		type: 'credit_memo.applied',
		label: 'Credit Memo Applied',
		description: 'A credit memo was applied to an invoice or a debit memo.',
		schema: creditMemoData({}, { application: application('appliedDate') }),
		sample: {
			creditMemo: sampleCreditMemo({ balance: 0 }),
			application: {
				id: 'a0E4W00000Ap5LmUAJ',
				targetType: 'Invoice',
				targetId: invoiceId,
				targetNumber: 'INV-00001234',
				amount: 50,
				appliedDate: '2024-12-05T10:25:00.000+00:00',
			},
		},
		resourceId: creditMemoResource,
	}),
	billing({
		type: 'credit_memo.unapplied',
		label: 'Credit Memo Unapplied',
		description: 'A credit memo was unapplied from an invoice or a debit memo.',
		schema: creditMemoData({}, { application: application('unappliedDate') }),
		sample: {
			creditMemo: sampleCreditMemo({ balance: 50 }),
			application: {
				id: 'a0E4W00000Ap5LmUAJ',
				targetType: 'Invoice',
				targetId: invoiceId,
				targetNumber: 'INV-00001234',
				amount: 50,
				unappliedDate: '2024-12-09T15:02:44.000+00:00',
			},
		},
		resourceId: creditMemoResource,
	}),
	billing({
		type: 'billing_job.completed',
		label: 'Billing Job Completed',
		description: 'A billing job completed.',
		schema: object({ billingJob: billingJob.extend({ status: statusIs('Completed') }) }),
		sample: { billingJob: sampleBillingJob({}) },
		resourceId: billingJobResource,
	}),
	billing({
		type: 'billing_job.completed_with_error',
		label: 'Billing Job Completed With Error',
		description: 'A billing job completed, but some customers could not be billed.',
		schema: object({
			billingJob: billingJob.extend({
				status: statusIs('CompletedWithError', 'CompletedWithErrors'),
				errors: z.array(object({ customerId: nullableId, message: text.min(1) })).min(1, 'lists at least one error'),
			}),
		}),
		sample: {
			billingJob: sampleBillingJob({
				status: 'CompletedWithError',
				invoicesCreated: 396,
				errors: [
					{ customerId: '0014W00004BxQ1pQAF', message: 'No active payment method' },
					{ customerId: '0014W00004BxR7zQAF', message: 'Tax calculation failed: missing postal code' },
				],
			}),
		},
		resourceId: billingJobResource,
	}),
	billing({
		type: 'billing_job.failed',
		label: 'Billing Job Failed',
		description: 'A billing job failed.',
		schema: object({ billingJob: billingJob.extend({ status: statusIs('Failed'), errorMessage: text.min(1) }) }),
		sample: {
			billingJob: sampleBillingJob({
				status: 'Failed',
				endTime: '2024-12-01T06:00:09.000+00:00',
				customersProcessed: 0,
				invoicesCreated: 0,
				errorMessage: 'Billing schedule is locked by another job',
			}),
		},
		resourceId: billingJobResource,
	}),
	billing({
		type: 'price_tag.created',
		label: 'Price Tag Created',
		description: 'A price tag was created.',
		schema: object({ priceTag }),
		sample: { priceTag: samplePriceTag },
		resourceId: priceTagResource,
	}),
	billing({
		type: 'price_tag.updated',
		label: 'Price Tag Updated',
		description: 'A price tag was updated.',
		schema: object({ priceTag, changedFields: changedFields.optional() }),
		sample: { priceTag: { ...samplePriceTag, active: false, lastModifiedDate: '2025-01-15T12:00:00.000+00:00' }, changedFields: ['active'] },
		resourceId: priceTagResource,
	}),
	billing({
		type: 'price_tag.deleted',
		label: 'Price Tag Deleted',
		description: 'A price tag was deleted.',
		schema: object({ priceTag: object({ id, code: nullableText, name: nullableText }), deletedDate: isoDateTime }),
		sample: {
			priceTag: { id: samplePriceTag.id, code: samplePriceTag.code, name: samplePriceTag.name },
			deletedDate: '2025-02-01T09:00:00.000+00:00',
		},
		resourceId: priceTagResource,
	}),
	billing({
		type: 'price_tier.created',
		label: 'Price Tier Created',
		description: 'A price tier was created.',
		schema: object({ priceTier }),
		sample: { priceTier: samplePriceTier },
		resourceId: priceTierResource,
	}),
	billing({
		type: 'price_tier.updated',
		label: 'Price Tier Updated',
		description: 'A price tier was updated.',
		schema: object({ priceTier, changedFields: changedFields.optional() }),
		sample: { priceTier: { ...samplePriceTier, amount: 0.85, lastModifiedDate: '2025-01-15T12:00:00.000+00:00' }, changedFields: ['amount'] },
		resourceId: priceTierResource,
	}),
	billing({
		type: 'price_tier.deleted',
		label: 'Price Tier Deleted',
		description: 'A price tier was deleted.',
		schema: object({ priceTier: object({ id, priceTagId: id }), deletedDate: isoDateTime }),
		sample: { priceTier: { id: samplePriceTier.id, priceTagId: samplePriceTier.priceTagId }, deletedDate: '2025-02-01T09:00:00.000+00:00' },
		resourceId: priceTierResource,
	}),
	billing({
		type: 'subscription.updated',
		label: 'Subscription Updated',
		description:
			'Fields of a subscription were updated (currently auto-renew or custom fields). Not raised when a subscription is versioned by a change order.',
		schema: object({
			subscription: object({
				id,
				name: text.min(1),
				customerId: id,
				productId: nullableId,
				productName: nullableText,
				status: text.min(1),
				autoRenew: z.boolean(),
				renewalTerm: z.number().int().nullish(),
				evergreen: z.boolean().nullish(),
				startDate: isoDate,
				endDate: nullableDate,
				customFields: z.record(z.unknown()).optional(),
				lastModifiedDate: isoDateTime,
			}),
			changedFields,
		}),
		sample: {
			subscription: {
				id: subscriptionId,
				name: 'SUB-004472',
				customerId,
				productId,
				productName: 'Pipedrive Documents',
				status: 'Active',
				autoRenew: true,
				renewalTerm: 12,
				evergreen: false,
				startDate: '2024-11-01',
				endDate: '2025-10-31',
				customFields: { salesRegion__c: 'EMEA' },
				lastModifiedDate: '2025-01-20T13:37:00.000+00:00',
			},
			changedFields: ['autoRenew', 'renewalTerm'],
		},
		resourceId: resourceAt('subscription', 'id'),
	}),
	billing({
		type: 'user.created',
		label: 'User Created',
		description: 'A user was created on the platform.',
		schema: object({
			user: object({
				id,
				email: z.string().email(),
				firstName: nullableText,
				lastName: nullableText,
				role: nullableText,
				status: text.min(1),
				createdAt: isoDateTime,
			}),
		}),
		sample: {
			user: {
				id: 'usr_9c41e7b2',
				email: 'maria.lopez@canva-uk.example',
				firstName: 'Maria',
				lastName: 'Lopez',
				role: 'Billing Admin',
				status: 'Active',
				createdAt: '2025-01-06T08:12:45.000Z',
			},
		},
		resourceId: resourceAt('user', 'id'),
	}),
];
