import { noAuthentication, type Authenticator } from '../../nodes/shared/auth/authenticator';
import { Dispatcher, deliveryIdFor, type DeliveryJob, type DeliveryOptions } from '../../nodes/shared/delivery/delivery';
import { newEventId, type WebhookEvent } from '../../nodes/shared/event/envelope';
import { defaultRetryPolicy } from '../../nodes/shared/delivery/retryPolicy';
import { loopbackAllowed } from './receiver';

/** Delivery options for tests: loopback allowed, short waits so retries do not slow the suite. */
export function testOptions(overrides: Partial<DeliveryOptions> = {}, policy: Partial<DeliveryOptions['retryPolicy']> = {}): DeliveryOptions {
	return {
		retryPolicy: { ...defaultRetryPolicy, baseDelayMs: 20, maxDelayMs: 100, timeBudgetMs: 10_000, ...policy },
		timeoutMs: 2_000,
		urlPolicy: loopbackAllowed,
		maxConcurrency: 20,
		maxConcurrencyPerEndpoint: 5,
		responseBodyLimit: 256,
		responseReadLimit: 64 * 1024,
		...overrides,
	};
}

export function sampleEvent(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
	return {
		id: newEventId(),
		type: 'invoice.activated',
		timestamp: '2026-11-24T10:00:00.000Z',
		resourceId: 'INV-00042',
		channels: ['client_1bd942c0'],
		data: { invoice: { id: 'INV-00042', amount: 3000, currency: 'EUR' } },
		...overrides,
	};
}

export function jobFor(
	url: string,
	event: WebhookEvent = sampleEvent(),
	extra: { authenticator?: Authenticator; signingSecrets?: string[]; previous?: DeliveryJob['previous']; trigger?: DeliveryJob['trigger'] } = {},
): DeliveryJob {
	const endpoint = { key: `url:${url}`, name: 'partner', url };
	return {
		deliveryId: deliveryIdFor(event.id, endpoint.key),
		eventId: event.id,
		eventType: event.type,
		resourceId: event.resourceId,
		channels: event.channels,
		endpoint,
		payload: JSON.stringify(event),
		authenticator: extra.authenticator ?? noAuthentication,
		signingSecrets: extra.signingSecrets ?? [],
		previous: extra.previous,
		trigger: extra.trigger ?? 'scheduled',
	};
}

export function dispatcher(overrides: Partial<DeliveryOptions> = {}, policy: Partial<DeliveryOptions['retryPolicy']> = {}) {
	return new Dispatcher(testOptions(overrides, policy));
}
