import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { Receiver } from '../helpers/receiver';
import { REPO_ROOT, startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';
import { launchChromium, see } from './support/browser';
import { scanForSecrets } from './support/secretScan';

/**
 * The activity page, served by its starter workflow from a real n8n 2.41.1, in Debian's Chromium
 * driven by playwright-core: sign in, add an endpoint (a refused URL first), fire events, filter by
 * resource ID, open a delivery, resend it and see the new attempt, switch views, disable and delete
 * endpoints. Its API is also probed directly with wrong and hostile requests. Screenshots go to
 * docs/activity/ (the README shows them).
 */
const SHOTS = path.join(REPO_ROOT, 'docs', 'activity');

describe('the activity page in a real n8n and a real browser', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	let browser: Browser;
	let page: Page;
	const api = async (body: unknown, token = n.secrets.adminToken) => {
		const res = await fetch(`${n.url.activity}/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-admin-token': token }, body: JSON.stringify(body) });
		const text = await res.text();
		return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
	};
	const filter = (name: string) => page.locator(`#filters [name="${name}"]`);
	const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

	beforeAll(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		n8n = await startN8n();
		n = await setUpNotifications(n8n, { retryEverySeconds: 5 });
		receiver = await new Receiver(n.secrets.signingSecret).start();
		({ browser, page } = await launchChromium());
	}, 20 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	it('serves the page to anyone, sandboxed and without data; the API needs the admin header', async () => {
		const res = await fetch(n.url.activity);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		// n8n sandboxes HTML answers of webhooks: the page runs in an opaque origin.
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/^sandbox\b.*\ballow-scripts\b/);
		expect(csp).not.toContain('allow-same-origin');
		const html = await res.text();
		expect(html).toContain('<title>Webhook activity</title>');
		expect(html).not.toContain(n.secrets.adminToken);

		expect((await api({ action: 'stats' }, '')).status).toBe(403);
		expect((await api({ action: 'stats' }, 'wrong-token')).status).toBe(403);
		expect((await api({ action: 'stats' })).body).toMatchObject({ lastHour: { sent: 0, retrying: 0, failed: 0, pending: 0 } });
	}, 60_000);

	it('answers bad requests with a clear 4xx and writes nothing', async () => {
		const before = await rows(n, 'endpoints');
		const cases: Array<[unknown, number, RegExp]> = [
			[{ action: 'dropTables' }, 400, /Unknown action/],
			[[1, 2], 400, /must be a JSON object/],
			[{ action: 'deliveries', filter: { from: 'yesterday' } }, 400, /filter.from must be a date/],
			[{ action: 'deliveries', sort: 'payload' }, 400, /sort must be/],
			[{ action: 'saveEndpoint', endpoint: { name: 'metadata', url: 'http://169.254.169.254/latest', eventTypes: '*' } }, 422, /not valid/],
			[{ action: 'saveEndpoint', endpoint: { name: 'typo', url: 'https://partner.example/hook', eventTypes: 'invoice.payed' } }, 422, /not valid/],
			[{ action: 'saveEndpoint', endpoint: { name: '', url: 'javascript:alert(1)' } }, 422, /not valid/],
			[{ action: 'deleteEndpoint', id: 999_999, confirm: true }, 404, /No endpoint/],
			[{ action: 'deleteEndpoint', id: 1 }, 400, /confirm must be true/],
			[{ action: 'setEndpointActive', id: 999_999, active: false }, 404, /No endpoint/],
			[{ action: 'delivery', deliveryId: 'dlv_nope' }, 404, /No delivery/],
		];
		for (const [body, status, message] of cases) {
			const answer = await api(body);
			expect({ body, status: answer.status, error: answer.body.error }).toEqual({ body, status, error: expect.stringMatching(message) });
		}
		const refused = await api(cases[4][0]);
		expect(refused.body.errors).toEqual([expect.stringMatching(/^url: Refused to connect to 169\.254\.169\.254/)]);
		expect(await rows(n, 'endpoints')).toEqual(before);
	}, 120_000);

	it('signs in, adds an endpoint (a refused URL first), and lists it', async () => {
		await page.goto(n.url.activity);
		await page.getByLabel('Admin token').fill('not-the-token');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await see(page.locator('#signin-error')).toHaveText('The admin token was not accepted.');
		await page.getByLabel('Admin token').fill(n.secrets.adminToken);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.locator('#stats').getByText('Last hour').waitFor();
		await shot('deliveries-empty');

		await page.getByRole('tab', { name: 'Endpoints' }).click();
		await page.getByRole('button', { name: 'Add endpoint' }).click();
		const form = page.locator('#endpoint-form');
		await form.getByLabel('Name').fill('Partner ERP');
		await form.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data');
		await form.getByLabel('Description').fill('Invoices and payments for the ERP');
		await form.getByRole('button', { name: 'Save endpoint' }).click();
		await see(page.locator('#endpoint-errors')).toContainText('Refused to connect to 169.254.169.254');
		await shot('endpoint-refused');

		await form.getByLabel('URL').fill(receiver.url('/erp'));
		await form.getByLabel('All event types (*)').uncheck();
		await form.getByLabel('invoice.activated', { exact: true }).check();
		await form.getByLabel('payment.assigned', { exact: true }).check();
		await form.getByRole('button', { name: 'Save endpoint' }).click();
		await page.locator('#endpoints tr[data-endpoint="Partner ERP"]').waitFor();
		await see(page.locator('#endpoints tr[data-endpoint="Partner ERP"]')).toContainText('invoice.activated, payment.assigned');
		const saved = (await rows(n, 'endpoints')).find((row) => row.name === 'Partner ERP');
		expect(saved).toMatchObject({ url: receiver.url('/erp'), eventTypes: 'invoice.activated, payment.assigned', active: true, authentication: 'none' });

		// The same name twice is refused: the log and the filters know endpoints by name.
		await page.getByRole('button', { name: 'Add endpoint' }).click();
		await form.getByLabel('Name').fill('Partner ERP');
		await form.getByLabel('URL').fill(receiver.url('/other'));
		await form.getByRole('button', { name: 'Save endpoint' }).click();
		await see(page.locator('#endpoint-errors')).toContainText('another endpoint is called "Partner ERP"');
		await form.getByRole('button', { name: 'Cancel' }).click();
	}, 120_000);

	it('shows the deliveries of fired events, filters by resource ID, opens one, and resends it as a new manual attempt', async () => {
		await addEndpoints(n, [{ name: 'Data Warehouse', url: receiver.url('/dwh') }]);
		const events = [
			catalogEvent('invoice.activated', { id: 'evt_page_1', resourceId: 'INV-1001' }),
			catalogEvent('invoice.activated', { id: 'evt_page_2', resourceId: 'INV-1002' }),
			catalogEvent('payment.assigned', { id: 'evt_page_3', resourceId: 'PAY-2001' }),
			catalogEvent('order.created', { id: 'evt_page_4', resourceId: 'ORD-3001' }),
		];
		expect((await postEvents(n, 'billing', events)).status).toBe(202);
		// ERP gets three (its two types), the warehouse all four.
		await waitFor(() => receiver.on('/erp').length === 3 && receiver.on('/dwh').length === 4, { timeoutMs: 60_000, what: 'the deliveries' });
		await waitFor(async () => (await rows(n, 'deliveries')).filter((row) => row.status === 'sent').length === 7, { timeoutMs: 30_000, what: 'sent rows' });

		await page.getByRole('tab', { name: 'Deliveries' }).click();
		await page.getByRole('button', { name: 'Refresh' }).click();
		await see(page.locator('#total')).toHaveText('7 deliveries match');
		await filter('endpointName').selectOption('Partner ERP');
		await page.getByRole('button', { name: 'Apply' }).click();
		await see(page.locator('#total')).toHaveText('3 deliveries match');
		await shot('deliveries');

		await filter('resourceId').fill('INV-1002');
		await page.getByRole('button', { name: 'Apply' }).click();
		await see(page.locator('#total')).toHaveText('1 delivery matches');
		const row = page.locator('#deliveries tbody tr');
		await see(row).toHaveCount(1);
		await see(row).toContainText('INV-1002');

		await row.click();
		const details = page.locator('#details');
		await see(details.locator('#payload')).toContainText('"id": "evt_page_2"');
		await see(details.locator('#attempts tbody tr')).toHaveCount(1);
		await see(details.locator('#attempts tbody tr')).toContainText('scheduled');
		await shot('delivery-details');

		const webhookId = receiver.on('/erp').find((request) => JSON.parse(request.body).id === 'evt_page_2')!.headers['webhook-id'];
		await details.getByRole('button', { name: 'Resend' }).click();
		await see(details.locator('#attempts tbody tr')).toHaveCount(2);
		await see(details.locator('#attempts tbody tr').nth(1)).toContainText('manual');
		await see(page.locator('#toast')).toHaveText('Resent: sent');
		const again = receiver.on('/erp').filter((request) => JSON.parse(request.body).id === 'evt_page_2');
		expect(again.map((request) => request.headers['webhook-id'])).toEqual([webhookId, webhookId]);
		expect(again[1].body).toBe(again[0].body);
		await shot('delivery-resent');
	}, 180_000);

	it('resends everything matching the filter, after a confirmation', async () => {
		await filter('resourceId').fill('');
		await filter('endpointName').selectOption('Data Warehouse');
		await filter('eventType').selectOption('invoice.activated');
		await page.getByRole('button', { name: 'Apply' }).click();
		await see(page.locator('#total')).toHaveText('2 deliveries match');
		const before = receiver.on('/dwh').length;

		await page.getByRole('button', { name: 'Resend all matching' }).click();
		await see(page.locator('#confirm')).toContainText('Resend all 2 matching deliveries');
		await page.locator('#confirm').getByRole('button', { name: 'Cancel' }).click();
		// A resend takes well under a second here (the one above did): two seconds of silence means none was made.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(receiver.on('/dwh').length).toBe(before);

		await page.getByRole('button', { name: 'Resend all matching' }).click();
		await page.locator('#confirm').getByRole('button', { name: 'Confirm' }).click();
		await see(page.locator('#toast')).toHaveText('Resent 2: 2 sent, 0 not sent');
		const resent = receiver.on('/dwh').slice(before).map((request) => JSON.parse(request.body).id);
		expect(resent.sort()).toEqual(['evt_page_1', 'evt_page_2']);
	}, 120_000);

	it('has a card view, works in a narrow window, and shows the event catalog', async () => {
		await page.getByRole('button', { name: 'Reset' }).click();
		await see(page.locator('#total')).toHaveText('7 deliveries match');
		await page.getByLabel('Cards').check();
		await see(page.locator('#deliveries .card')).toHaveCount(7);
		await shot('deliveries-cards');

		await page.setViewportSize({ width: 390, height: 844 });
		await see(page.locator('#deliveries .card').first()).toBeVisible();
		// Nothing is wider than the window.
		expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
		await shot('narrow');
		await page.setViewportSize({ width: 1366, height: 900 });

		await page.getByRole('tab', { name: 'Event catalog' }).click();
		await see(page.locator('#catalog details')).toHaveCount(37);
		await page.locator('#catalog summary').filter({ hasText: 'invoice.activated' }).click();
		await see(page.locator('#catalog details[open] pre')).toContainText('"type": "invoice.activated"');
		await shot('catalog');
	}, 120_000);

	it('disables an endpoint (it then gets nothing) and deletes another after a confirmation', async () => {
		await page.getByRole('tab', { name: 'Endpoints' }).click();
		const erp = page.locator('#endpoints tr[data-endpoint="Partner ERP"]');
		await erp.getByRole('button', { name: 'Disable' }).click();
		await see(erp).toContainText('disabled');
		await see(erp).toContainText('Disabled on the activity page');
		expect((await rows(n, 'endpoints')).find((row) => row.name === 'Partner ERP')).toMatchObject({ active: false, disabledReason: 'Disabled on the activity page' });
		await shot('endpoints');

		const dwh = page.locator('#endpoints tr[data-endpoint="Data Warehouse"]');
		await dwh.getByRole('button', { name: 'Delete' }).click();
		await see(page.locator('#confirm')).toContainText('Delete the endpoint "Data Warehouse"? This cannot be undone');
		await page.locator('#confirm').getByRole('button', { name: 'Cancel' }).click();
		await see(dwh).toHaveCount(1);
		await dwh.getByRole('button', { name: 'Delete' }).click();
		await page.locator('#confirm').getByRole('button', { name: 'Confirm' }).click();
		await see(dwh).toHaveCount(0);
		expect((await rows(n, 'endpoints')).map((row) => row.name)).toEqual(['Partner ERP']);

		const erpBefore = receiver.on('/erp').length;
		expect((await postEvents(n, 'billing', [catalogEvent('invoice.activated', { id: 'evt_page_after', resourceId: 'INV-1003' })])).status).toBe(202);
		// Nothing is subscribed any more: no delivery row is made, and the disabled ERP gets nothing.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(receiver.on('/erp').length).toBe(erpBefore);
		expect(await rows(n, 'deliveries', [{ columnName: 'eventId', condition: 'eq', value: 'evt_page_after' }])).toEqual([]);

		// Re-enabling offers Svix's recover: resend what failed since it was disabled (nothing did here).
		const disabledAt = (await rows(n, 'endpoints')).find((row) => row.name === 'Partner ERP')!.disabledAt;
		expect(typeof disabledAt).toBe('string');
		await erp.getByRole('button', { name: 'Enable' }).click();
		await see(page.locator('#confirm')).toContainText('Resend what failed for "Partner ERP" since it was disabled');
		await page.locator('#confirm').getByRole('button', { name: 'Confirm' }).click();
		await see(page.locator('#toast')).toContainText('Resent 0 failed deliveries to Partner ERP');
		expect((await rows(n, 'endpoints')).find((row) => row.name === 'Partner ERP')).toMatchObject({ active: true, disabledAt: null });
		await erp.getByRole('button', { name: 'Disable' }).click();
		await see(erp).toContainText('Disabled on the activity page');

		// Table contents are anybody's text: they must show as text, never run.
		const hostile = '<img src=x onerror="window.__pwned=1">';
		await addEndpoints(n, [{ name: hostile, url: receiver.url('/x'), active: false }]);
		await page.getByRole('tab', { name: 'Deliveries' }).click();
		await page.getByRole('button', { name: 'Refresh' }).click();
		await page.getByRole('tab', { name: 'Endpoints' }).click();
		await see(page.locator('#endpoints')).toContainText(hostile);
		expect(await page.locator('#endpoints img').count()).toBe(0);
		expect(await page.evaluate('window.__pwned')).toBeUndefined();
	}, 120_000);

	it('keeps the admin token and the signing secrets out of the tables, saved executions and n8n\'s log', async () => {
		const workflowId = n.setup.workflows['Webhook Notifications: Activity page'].id;
		// The page polls every 15 s: a request in flight is a running execution until it ends, then none is kept.
		await page.goto('about:blank');
		await waitFor(async () => (await n8n.api.listExecutions({ workflowId, includeData: true })).length === 0, { timeoutMs: 30_000, what: 'no saved or running execution of the activity page' });
		const { adminToken, signingSecret, sourceSigningSecret } = n.secrets;
		const scan = await scanForSecrets(n8n, n, [adminToken, signingSecret, signingSecret.slice('whsec_'.length), sourceSigningSecret, sourceSigningSecret.slice('whsec_'.length)]);
		expect(scan.scannedRows).toBeGreaterThan(0);
		expect(scan.scannedLogBytes).toBeGreaterThan(0);
		expect(scan.findings).toEqual([]);
	}, 60_000);
});
