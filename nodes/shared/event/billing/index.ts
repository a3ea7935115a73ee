import type { EventTypeDefinition } from '../types';
import { accountEvents } from './accountEvents';
import { orderEvents } from './orderEvents';

/*
 * Billing events. Names and descriptions come from the product pages in the seeds (a subscription
 * billing platform's webhook list, an invoicing platform's "invoice archived" and "payment assigned"
 * notifications, and a back office's "user created" trigger). Payload shapes follow the order
 * sample in the billing platform's documentation: a record per resource ("order", "invoice",
 * ...) with its line records beside it, camelCase fields, ISO dates, amounts as numbers.
 */

/** Every billing event type, in the catalog's order. */
export const billingEventTypes: EventTypeDefinition[] = [...orderEvents, ...accountEvents];
