import { z } from 'zod';

import { amount, currency, id, isoDate, isoDateTime, object, statusIs, text, type EventTypeDefinition } from '../types';
import { changedFields, customer, invoiceData, nullableDateTime, nullableId, nullableText, orderData } from './schemas';
import { customerId, invoiceId, orderId, sampleCustomer, sampleInvoice, sampleInvoiceItems, sampleOrderData, samplePayment } from './samples';
import { billing, customerResource, invoiceResource, orderResource, resourceAt } from './define';

/* Billing events on the way from customer to payment: customers, orders, invoices, payments. */

export const orderEvents: EventTypeDefinition[] = [
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
];
