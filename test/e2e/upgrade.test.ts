import { deliveryIdFor } from '../../nodes/shared/delivery/delivery';
import { Receiver } from '../helpers/receiver';
import { startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * An instance set up by 0.1.0 (one webhook_deliveries row per delivery, updated in place, the body in
 * every row) upgraded by running setup again: the delivery that was retrying carries on from the
 * outbox under its webhook-id, and an event the old log had delivered is still a duplicate.
 */
describe('upgrade from the first delivery log', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;

	const legacyColumns = [
		...['deliveryId', 'eventId', 'eventType', 'resourceId', 'channels', 'endpointName', 'endpointUrl', 'endpointAuthentication', 'status'].map((name) => ({ name, type: 'string' as const })),
		{ name: 'responseCode', type: 'number' as const },
		{ name: 'responseBody', type: 'string' as const },
		{ name: 'error', type: 'string' as const },
		{ name: 'attempts', type: 'number' as const },
		{ name: 'retryRound', type: 'number' as const },
		...['firstAttemptAt', 'lastAttemptAt', 'nextAttemptAt'].map((name) => ({ name, type: 'date' as const })),
		{ name: 'durationMs', type: 'number' as const },
		{ name: 'endpointGone', type: 'boolean' as const },
		{ name: 'payload', type: 'string' as const },
		{ name: 'version', type: 'number' as const },
	];

	beforeAll(async () => {
		n8n = await startN8n();
		receiver = await new Receiver().start();
		const legacy = await n8n.api.createDataTable('webhook_deliveries', legacyColumns);
		const retrying = catalogEvent('invoice.paid', { id: 'evt_legacy_retrying' });
		const sent = catalogEvent('invoice.paid', { id: 'evt_legacy_sent' });
		const row = (event: typeof retrying, fields: Record<string, unknown>) => ({
			deliveryId: deliveryIdFor(event.id, 'name:partner'),
			eventId: event.id,
			eventType: event.type,
			resourceId: event.resourceId,
			channels: '',
			endpointName: 'partner',
			endpointUrl: receiver.url('/partner'),
			endpointAuthentication: 'none',
			payload: JSON.stringify(event),
			version: 0,
			...fields,
		});
		const past = new Date(Date.now() - 60_000).toISOString();
		await n8n.api.insertRows(legacy.id, [
			row(sent, { status: 'sent', responseCode: 200, attempts: 1, retryRound: 0, firstAttemptAt: past, lastAttemptAt: past }),
			row(retrying, { status: 'retrying', responseCode: 503, error: 'HTTP 503', attempts: 3, retryRound: 1, firstAttemptAt: past, lastAttemptAt: past, nextAttemptAt: past }),
		]);
		n = await setUpNotifications(n8n, { retryEverySeconds: 2 });
		await addEndpoints(n, [{ name: 'partner', url: receiver.url('/partner') }]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	it('moves the open delivery to the outbox and sends it under its webhook-id; keeps the finished row; seeds the dedupe window', async () => {
		expect(n.setup.migrated).toEqual({ moved: 1, seeded: 2 });
		const delivered = await waitFor(() => receiver.on('/partner').find((request) => JSON.parse(request.body).id === 'evt_legacy_retrying'), {
			timeoutMs: 60_000,
			what: 'the retrying legacy delivery to be sent',
		});
		expect(delivered.headers['webhook-id']).toBe(deliveryIdFor('evt_legacy_retrying', 'name:partner'));
		const logged = await waitFor(async () => (await rows(n, 'deliveries', [{ columnName: 'eventId', condition: 'eq', value: 'evt_legacy_retrying' }])).find((r) => r.status === 'sent'), {
			timeoutMs: 30_000,
			what: 'the legacy delivery logged as sent',
		});
		expect(logged).toMatchObject({ attempts: 4, responseCode: 200 });
		// The run removes its sent rows from the outbox right after logging them: the log row can be seen first.
		await waitFor(async () => (await rows(n, 'outbox')).length === 0, { timeoutMs: 30_000, what: 'the outbox to empty' });
		expect(await rows(n, 'outbox')).toEqual([]);
		// The finished row stays, with its body.
		const [old] = await rows(n, 'deliveries', [{ columnName: 'eventId', condition: 'eq', value: 'evt_legacy_sent' }]);
		expect(old).toMatchObject({ status: 'sent', payload: expect.stringContaining('evt_legacy_sent') });

		// Re-posting what the old log had delivered is a duplicate: nothing is sent again.
		const before = receiver.requests.length;
		const answer = await postEvents(n, 'billing', [catalogEvent('invoice.paid', { id: 'evt_legacy_sent' })]);
		expect(answer).toMatchObject({ status: 202, body: { accepted: [], duplicates: ['evt_legacy_sent'] } });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(receiver.requests.slice(before)).toHaveLength(0);

		// Setup again changes nothing more.
		const again = await setUpNotifications(n8n, { retryEverySeconds: 2 });
		expect(again.setup.migrated).toEqual({ moved: 0, seeded: 0 });
	}, 180_000);

	it('adds the test column to the log; rows logged before it count as real traffic on the activity chart', async () => {
		const [old] = await rows(n, 'deliveries', [{ columnName: 'eventId', condition: 'eq', value: 'evt_legacy_sent' }]);
		expect(old).toHaveProperty('test', null);
		const res = await fetch(`${n.url.activity}/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-admin-token': n.secrets.adminToken }, body: JSON.stringify({ action: 'activity' }) });
		const activity = (await res.json()) as { overall: Record<string, unknown> };
		expect(res.status).toBe(200);
		// The old sent row and the migrated delivery, sent since; no test deliveries.
		expect(activity.overall).toMatchObject({ sent: 2, failed: 0, tests: 0, successRate: 100 });
	}, 60_000);
});
