import path from 'node:path';

import { setup } from '../../scripts/cli/setup';
import { TABLE } from '../../starter';
import { invoiceOverdueRow, invoiceOverdueSample } from '../helpers/customEventTypes';
import { Receiver } from '../helpers/receiver';
import { REPO_ROOT, startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, deliveries, postEvents, rows, setUpNotifications, type Notifications, LOOPBACK_HOSTS } from '../../tools/notifications';
import { scanForSecrets } from './support/secretScan';

/**
 * The open catalog in a real n8n 2.41.1 set up by the setup command: a custom event type added the
 * documented way (a row in webhook_event_types) is accepted by the dispatch's trigger, delivered,
 * listed on the activity page and accepted by its endpoint check; lenient validation delivers the
 * Nue seed's order.activated sample with two fields missing and records the issues; strict refuses it.
 */
describe('open catalog and validation modes in a real n8n', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	const activity = async (body: unknown) => {
		const res = await fetch(`${n.url.activity}/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-admin-token': n.secrets.adminToken }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as any };
	};
	const sentEventIds = () => receiver.on('/ar').map((request) => JSON.parse(request.body).id as string);

	beforeAll(async () => {
		n8n = await startN8n();
		n = await setUpNotifications(n8n);
		receiver = await new Receiver(n.secrets.signingSecret).start();
		expect(n.tableId.eventTypes).toBeTruthy();
		// The documented way: one row per custom event type (here through n8n's API; the table editor does the same).
		await n8n.api.insertRows(n.tableId.eventTypes, [
			invoiceOverdueRow,
			{ eventType: 'invoice.disputed', system: 'billing', description: 'broken on purpose', sample: '{}', schema: '{"$ref": "http://127.0.0.1:9/evil.json"}' },
		]);
		await addEndpoints(n, [{ name: 'ar', url: receiver.url('/ar'), eventTypes: 'invoice.overdue, order.activated' }]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	it('accepts a custom event type at the trigger and delivers it, signed, to its subscribed endpoint', async () => {
		const event = { id: 'evt_overdue_e2e_1', type: 'invoice.overdue', timestamp: new Date().toISOString(), resourceId: 'a0F4W00000XkT2bUAF', data: invoiceOverdueSample };
		const answer = await postEvents(n, 'billing', event);
		expect(answer).toEqual({ status: 202, body: { received: 1, accepted: ['evt_overdue_e2e_1'], duplicates: [] } });
		await waitFor(() => sentEventIds().includes('evt_overdue_e2e_1'), { timeoutMs: 60_000, what: 'the custom event at the endpoint' });
		const [request] = receiver.on('/ar');
		expect(request.verifiedByStandardWebhooks).toBe(true);
		expect(JSON.parse(request.body)).toMatchObject({ type: 'invoice.overdue', data: invoiceOverdueSample });
		const logged = await waitFor(async () => (await deliveries(n, [{ columnName: 'eventId', condition: 'eq', value: 'evt_overdue_e2e_1' }])).find((row) => row.status === 'sent'), { timeoutMs: 60_000, what: 'the log row' });
		expect(logged).toMatchObject({ eventType: 'invoice.overdue', endpointName: 'ar', responseCode: 200 });
		// A custom type's event matching its schema carries no issues.
		const [eventRow] = await rows(n, 'events', [{ columnName: 'eventId', condition: 'eq', value: 'evt_overdue_e2e_1' }]);
		expect(eventRow.schemaIssues ?? null).toBeNull();
		console.log(`open-catalog: custom type invoice.overdue accepted=1 delivered=${receiver.on('/ar').length} logged=${logged.status}`);
	}, 120_000);

	it('lists the custom type on the activity page (catalog) and names the row it left out', async () => {
		const { status, body } = await activity({ action: 'catalog' });
		expect(status).toBe(200);
		const custom = body.eventTypes.filter((type: { custom?: boolean }) => type.custom);
		expect(custom).toEqual([
			{
				type: 'invoice.overdue',
				label: 'Invoice Overdue',
				description: invoiceOverdueRow.description,
				system: 'billing',
				custom: true,
				sample: expect.objectContaining({ type: 'invoice.overdue', data: invoiceOverdueSample }),
			},
			{ type: 'invoice.disputed', custom: true, row: 2, error: expect.stringMatching(/schema: .*is not followed/) },
		]);
		expect(body.eventTypes.filter((type: { custom?: boolean }) => !type.custom).length).toBeGreaterThan(30);
	}, 60_000);

	it('the endpoint check takes the custom type like a built-in one, and still refuses a type nobody defined', async () => {
		const saved = await activity({ action: 'saveEndpoint', endpoint: { name: 'collections', url: 'https://collections.example/hook', eventTypes: 'invoice.overdue, invoice.paid' } });
		expect(saved).toMatchObject({ status: 200, body: { endpoint: { name: 'collections', eventTypes: 'invoice.overdue, invoice.paid' } } });
		const refused = await activity({ action: 'saveEndpoint', endpoint: { name: 'typo', url: 'https://collections.example/hook', eventTypes: 'invoice.overdeu' } });
		expect(refused).toMatchObject({ status: 422, body: { errors: ['eventTypes: "invoice.overdeu" is not an event type of the catalog'] } });
		// The broken row does not count as a type.
		expect((await activity({ action: 'saveEndpoint', endpoint: { name: 'disputes', url: 'https://collections.example/hook', eventTypes: 'invoice.disputed' } })).status).toBe(422);
	}, 60_000);

	it("lenient (the default): the Nue seed's order.activated sample missing two fields is accepted, delivered, and its issues recorded", async () => {
		const event = catalogEvent('order.activated', { id: 'evt_nue_lenient_1' });
		const order = event.data.order as Record<string, unknown>;
		delete order.orderNumber;
		delete order.customerId;
		const answer = await postEvents(n, 'billing', event);
		expect(answer).toEqual({ status: 202, body: { received: 1, accepted: ['evt_nue_lenient_1'], duplicates: [] } });
		await waitFor(() => sentEventIds().includes('evt_nue_lenient_1'), { timeoutMs: 60_000, what: 'the lenient event at the endpoint' });
		// Receivers get the event as sent: the issues are kept beside it, not in it.
		const sent = JSON.parse(receiver.on('/ar').find((request) => JSON.parse(request.body).id === 'evt_nue_lenient_1')!.body);
		expect(sent).not.toHaveProperty('schemaIssues');
		const [eventRow] = await rows(n, 'events', [{ columnName: 'eventId', condition: 'eq', value: 'evt_nue_lenient_1' }]);
		const issues = JSON.parse(eventRow.schemaIssues as string) as Array<{ path: string; message: string }>;
		expect(issues.map((issue) => issue.path)).toEqual(['data.order.orderNumber', 'data.order.customerId']);
		const logged = await waitFor(async () => (await deliveries(n, [{ columnName: 'eventId', condition: 'eq', value: 'evt_nue_lenient_1' }])).find((row) => row.status === 'sent'), { timeoutMs: 60_000, what: 'the log row' });
		const details = await activity({ action: 'delivery', deliveryId: logged.deliveryId });
		expect(details.status).toBe(200);
		expect(details.body.schemaIssues).toEqual(issues);
		console.log(`lenient: order.activated missing 2 fields accepted=1 delivered=1 issues=${issues.map((issue) => issue.path).join(',')}`);
	}, 120_000);

	it('strict: the same event is refused with 422 listing both fields, and nothing is recorded or sent', async () => {
		// Setup run again with the trigger switched to strict (it updates the workflows in place).
		await setup({
			url: n8n.baseUrl,
			apiKey: n8n.apiKey,
			workflowsDir: path.join(REPO_ROOT, 'workflows'),
			activate: true,
			deliverOptions: { allowedPrivateHosts: '127.0.0.1', allowedHttpHosts: LOOPBACK_HOSTS },
			overrides: { 'Billing Event Trigger.validation': 'strict' },
			secrets: n.secrets,
			log: () => undefined,
		});
		await n8n.waitForWebhook('8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events');
		const event = catalogEvent('order.activated', { id: 'evt_nue_strict_1' });
		const order = event.data.order as Record<string, unknown>;
		delete order.orderNumber;
		delete order.customerId;
		const answer = await postEvents(n, 'billing', event);
		expect(answer.status).toBe(422);
		expect(answer.body).toMatchObject({ error: 'invalid_events', rejected: [{ index: 0, id: 'evt_nue_strict_1', issues: [{ path: 'data.order.orderNumber' }, { path: 'data.order.customerId' }] }] });
		// A valid custom event still goes through the strict trigger.
		const ok = await postEvents(n, 'billing', { id: 'evt_overdue_e2e_2', type: 'invoice.overdue', data: invoiceOverdueSample });
		expect(ok.status).toBe(202);
		await waitFor(() => sentEventIds().includes('evt_overdue_e2e_2'), { timeoutMs: 60_000, what: 'the second custom event' });
		expect(await rows(n, 'events', [{ columnName: 'eventId', condition: 'eq', value: 'evt_nue_strict_1' }])).toEqual([]);
		expect(sentEventIds()).not.toContain('evt_nue_strict_1');
		console.log(`strict: order.activated missing 2 fields -> ${answer.status}; custom type still accepted -> ${ok.status}`);
	}, 180_000);

	it(`keeps the ${TABLE.eventTypes} rows a person added when setup runs again`, async () => {
		expect((await rows(n, 'eventTypes')).map((row) => row.eventType)).toEqual(['invoice.overdue', 'invoice.disputed']);
	});

	it("leaves the n8n API key the triggers read the table with nowhere: tables, executions, logs", async () => {
		const { findings, scannedRows, scannedLogBytes } = await scanForSecrets(n8n, n, [n8n.apiKey, n.secrets.sourceSigningSecret, n.secrets.adminToken]);
		expect(scannedRows).toBeGreaterThan(0);
		expect(scannedLogBytes).toBeGreaterThan(0);
		expect(findings).toEqual([]);
	}, 60_000);
});
