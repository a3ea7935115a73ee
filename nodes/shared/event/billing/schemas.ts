import { z } from 'zod';

import { amount, count, currency, id, isoDate, isoDateTime, object, statusIs, text } from '../types';

/* The zod schemas of the billing payloads. Objects pass unknown fields through (see ../types). */

export const nullableText = text.nullish();
export const nullableId = id.nullish();
export const nullableDate = isoDate.nullish();
export const nullableDateTime = isoDateTime.nullish();
const nullableAmount = amount.nullish();

const address = object({
	street: nullableText,
	city: nullableText,
	state: nullableText,
	postalCode: nullableText,
	country: nullableText,
});

export const customer = object({
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

export const order = object({
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
export function orderData(orderStatus?: z.ZodTypeAny, required: Partial<Record<'activatedDate' | 'canceledDate', z.ZodTypeAny>> = {}) {
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

export const invoice = object({
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

export function invoiceData(invoiceFields: z.ZodRawShape = {}, extra: z.ZodRawShape = {}) {
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

export function creditMemoData(creditMemoFields: z.ZodRawShape = {}, extra: z.ZodRawShape = {}) {
	return object({
		creditMemo: creditMemo.extend(creditMemoFields),
		creditMemoItems: z.array(creditMemoItem).optional(),
		...extra,
	});
}

export const application = (dateField: 'appliedDate' | 'unappliedDate') =>
	object({
		id,
		targetType: statusIs('Invoice', 'DebitMemo'),
		targetId: id,
		targetNumber: nullableText,
		amount: amount.positive(),
		[dateField]: isoDateTime,
	});

export const billingJob = object({
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

export const priceTier = object({
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

export const priceTag = object({
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

export const changedFields = z.array(text.min(1)).min(1, 'lists at least one changed field');
