import { z } from 'zod';

import {
	amount,
	countryCode,
	id,
	isoDateTime,
	object,
	stringAt,
	text,
	type EventData,
	type EventTypeDefinition,
} from './types';

/*
 * Shipping events, from a delivery-management product's webhook page: order created, updated and
 * deleted, and shipment created, each scoped to an order channel (the connection to the shop or
 * ERP the order came from). The order channel doubles as the event's channel, so a trigger can
 * listen to some channels only.
 */

const nullableText = text.nullish();

const orderChannel = object({ id, name: text.min(1) });

const address = object({
	name: text.min(1),
	addressLine1: text.min(1),
	addressLine2: nullableText,
	postalCode: text.min(1),
	city: text.min(1),
	countryCode,
	email: z.string().email().nullish(),
	phone: nullableText,
});

const orderLine = object({
	sku: nullableText,
	description: text.min(1),
	quantity: z.number().int().positive(),
	weightKg: amount.nonnegative().nullish(),
});

const shippingOrder = object({
	id,
	orderNumber: text.min(1),
	orderChannel,
	status: text.min(1),
	reference: nullableText,
	deliveryMethod: nullableText,
	receiver: address,
	sender: address.nullish(),
	lines: z.array(orderLine).min(1, 'an order has at least one line'),
	totalWeightKg: amount.nonnegative().nullish(),
	createdAt: isoDateTime,
	updatedAt: isoDateTime.nullish(),
});

const parcel = object({
	parcelNumber: text.min(1),
	weightKg: amount.positive(),
	lengthCm: amount.positive().nullish(),
	widthCm: amount.positive().nullish(),
	heightCm: amount.positive().nullish(),
	reference: nullableText,
});

const shipment = object({
	id,
	orderId: id,
	orderNumber: text.min(1),
	orderChannel,
	carrier: object({ code: text.min(1), name: text.min(1) }),
	service: object({ code: text.min(1), name: text.min(1) }).nullish(),
	trackingNumber: text.min(1),
	trackingUrl: z.string().url().nullish(),
	receiver: address.nullish(),
	parcels: z.array(parcel).min(1, 'a shipment has at least one parcel'),
	createdAt: isoDateTime,
});

// ---------------------------------------------------------------------------------------------

const sampleChannel = { id: 'webshop-se', name: 'Webshop Sweden' };
const sampleReceiver = {
	name: 'Elin Andersson',
	addressLine1: 'Sveavägen 44',
	addressLine2: 'Lgh 1203',
	postalCode: '111 34',
	city: 'Stockholm',
	countryCode: 'SE',
	email: 'elin.andersson@example.se',
	phone: '+46 70 123 45 67',
};
const sampleSender = {
	name: 'Nordic Outdoor AB',
	addressLine1: 'Lagervägen 12',
	addressLine2: null,
	postalCode: '436 32',
	city: 'Askim',
	countryCode: 'SE',
	email: 'logistics@nordic-outdoor.example',
	phone: '+46 31 700 10 00',
};

function sampleOrder(fields: Record<string, unknown>) {
	return {
		id: 'ord_5f2c81d0a9',
		orderNumber: 'SO-100482',
		orderChannel: sampleChannel,
		status: 'Open',
		reference: 'WEB-7781203',
		deliveryMethod: 'PostNord MyPack Collect',
		receiver: sampleReceiver,
		sender: sampleSender,
		lines: [
			{ sku: 'TENT-2P-GRN', description: 'Trail tent 2P, green', quantity: 1, weightKg: 2.4 },
			{ sku: 'MAT-SELF-INF', description: 'Self-inflating sleeping mat', quantity: 2, weightKg: 0.9 },
		],
		totalWeightKg: 4.2,
		createdAt: '2025-03-04T09:12:07.000Z',
		updatedAt: null,
		...fields,
	};
}

const channelsOf = (data: EventData): string[] => {
	const channel = stringAt(data, 'order', 'orderChannel', 'id') ?? stringAt(data, 'shipment', 'orderChannel', 'id');
	return channel ? [channel] : [];
};

function shipping(definition: Omit<EventTypeDefinition, 'system' | 'sampleChannels' | 'channels'>): EventTypeDefinition {
	return { ...definition, system: 'shipping', channels: channelsOf, sampleChannels: [sampleChannel.id] };
}

export const shippingEventTypes: EventTypeDefinition[] = [
	shipping({
		type: 'shipping.order.created',
		label: 'Shipping Order Created',
		description: 'A new order was created in an order channel.',
		schema: object({ order: shippingOrder }),
		sample: { order: sampleOrder({}) },
		resourceId: (data) => stringAt(data, 'order', 'id'),
	}),
	shipping({
		type: 'shipping.order.updated',
		label: 'Shipping Order Updated',
		description: 'An order was updated.',
		schema: object({ order: shippingOrder.extend({ updatedAt: isoDateTime }), changedFields: z.array(text.min(1)).optional() }),
		sample: {
			order: sampleOrder({ deliveryMethod: 'PostNord Home Delivery', updatedAt: '2025-03-04T10:40:51.000Z' }),
			changedFields: ['deliveryMethod'],
		},
		resourceId: (data) => stringAt(data, 'order', 'id'),
	}),
	shipping({
		type: 'shipping.order.deleted',
		label: 'Shipping Order Deleted',
		description: 'An order was deleted.',
		schema: object({ order: object({ id, orderNumber: nullableText, orderChannel }), deletedAt: isoDateTime }),
		sample: {
			order: { id: 'ord_5f2c81d0a9', orderNumber: 'SO-100482', orderChannel: sampleChannel },
			deletedAt: '2025-03-04T11:02:33.000Z',
		},
		resourceId: (data) => stringAt(data, 'order', 'id'),
	}),
	shipping({
		type: 'shipping.shipment.created',
		label: 'Shipment Created',
		description: 'A shipment was created from an order, with its carrier, tracking number and parcels.',
		schema: object({ shipment }),
		sample: {
			shipment: {
				id: 'shp_a81f44c2e7',
				orderId: 'ord_5f2c81d0a9',
				orderNumber: 'SO-100482',
				orderChannel: sampleChannel,
				carrier: { code: 'PNL', name: 'PostNord' },
				service: { code: 'P19', name: 'MyPack Collect' },
				trackingNumber: '00370733741234567895',
				trackingUrl: 'https://tracking.example.com/track?id=00370733741234567895',
				receiver: sampleReceiver,
				parcels: [
					{ parcelNumber: '00370733741234567895', weightKg: 2.6, lengthCm: 60, widthCm: 20, heightCm: 20, reference: 'Tent' },
					{ parcelNumber: '00370733741234567901', weightKg: 1.9, lengthCm: 70, widthCm: 25, heightCm: 25, reference: 'Sleeping mats' },
				],
				createdAt: '2025-03-04T13:25:10.000Z',
			},
		},
		resourceId: (data) => stringAt(data, 'shipment', 'id'),
	}),
];
