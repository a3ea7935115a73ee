import { randomBytes } from 'node:crypto';

import { findEventType, sampleEvent } from '../../../nodes/shared/event/catalog';
import type { WebhookEvent } from '../../../nodes/shared/event/envelope';
import type { InboundSettings } from '../../../nodes/shared/inbound/receive';

export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A catalog sample envelope, with changes. */
export function eventOf(type: string, changes: Partial<WebhookEvent> = {}): WebhookEvent {
	const definition = findEventType(type);
	if (!definition) throw new Error(`No event type ${type}`);
	return { ...sampleEvent(definition), ...changes };
}

export const billingSettings = (changes: Partial<InboundSettings> = {}): InboundSettings => ({
	system: 'billing',
	eventTypes: [],
	channels: [],
	auth: { mode: 'none' },
	...changes,
});

export const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
export const jsonHeaders = { 'content-type': 'application/json' };
