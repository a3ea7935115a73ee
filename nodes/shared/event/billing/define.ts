import { stringAt, type EventData, type EventTypeDefinition } from '../types';
import { sampleChannels } from './samples';

/* What every billing event definition shares: the system, the sample channels, where the resource ID sits. */

export const resourceAt =
	(...path: string[]) =>
	(data: EventData) =>
		stringAt(data, ...path);

export function billing(definition: Omit<EventTypeDefinition, 'system' | 'sampleChannels'>): EventTypeDefinition {
	return { ...definition, system: 'billing', sampleChannels };
}

export const customerResource = resourceAt('customer', 'id');
export const orderResource = resourceAt('order', 'id');
export const invoiceResource = resourceAt('invoice', 'id');
export const creditMemoResource = resourceAt('creditMemo', 'id');
export const billingJobResource = resourceAt('billingJob', 'id');
export const priceTagResource = resourceAt('priceTag', 'id');
export const priceTierResource = resourceAt('priceTier', 'id');
