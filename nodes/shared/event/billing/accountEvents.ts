import { z } from 'zod';

import { id, isoDate, isoDateTime, object, statusIs, text, type EventTypeDefinition } from '../types';
import { application, billingJob, changedFields, creditMemoData, nullableDate, nullableId, nullableText, priceTag, priceTier } from './schemas';
import { customerId, invoiceId, productId, sampleBillingJob, sampleCreditMemo, sampleCreditMemoItems, samplePriceTag, samplePriceTier, subscriptionId } from './samples';
import { billing, billingJobResource, creditMemoResource, priceTagResource, priceTierResource, resourceAt } from './define';

/* Billing events about credit memos, billing jobs, the price book, subscriptions and users. */

export const accountEvents: EventTypeDefinition[] = [
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
