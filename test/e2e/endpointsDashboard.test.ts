import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { Receiver } from '../helpers/receiver';
import { REPO_ROOT, startN8n, waitFor, type DataTableRow, type N8n } from '../../tools/harness';
import { backdate } from './support/backdate';
import { launchChromium, see } from './support/browser';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';
import { scanForSecrets } from './support/secretScan';

/**
 * The endpoints dashboard, test events and the activity chart of the activity page, served by a
 * real n8n 2.41.1 to Debian's Chromium: list and card views, the creation-date filter and the three
 * sorts on endpoints whose dates were moved back; a test event through the Deliver Webhook node to
 * a loopback receiver that verifies it with the standardwebhooks library; the chart's bars counted
 * per hour and status. Screenshots go to docs/screenshots/.
 */
const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const DAY = 24 * 3600_000;
const HOUR = 3600_000;

describe('the endpoints dashboard, test events and the activity chart', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	let browser: Browser;
	let page: Page;
	let endpoint: Record<'Gamma DWH' | 'Alpha ERP' | 'Beta CRM', DataTableRow>;
	const now = Date.now();
	const api = async (body: unknown) => {
		const res = await fetch(`${n.url.activity}/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-admin-token': n.secrets.adminToken }, body: JSON.stringify(body) });
		const text = await res.text();
		return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
	};
	const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
	const tool = (name: string) => page.locator(`#endpoint-tools [name="${name}"]`);
	const shownNames = () => page.locator('#endpoints [data-endpoint]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-endpoint')));
	/** YYYY-MM-DD of a time in this machine's zone (the browser's too), as a date input takes it. */
	const day = (time: number) => {
		const date = new Date(time);
		return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
	};
	const bars = (selector: string) =>
		page.locator(`#activity-svg rect${selector}`).evaluateAll((elements) => elements.map((element) => ({ hour: element.getAttribute('data-hour'), status: element.getAttribute('data-status'), count: Number(element.getAttribute('data-count')) })));

	beforeAll(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		n8n = await startN8n();
		// 422 ends a delivery at once (failed), so the failing partner's log fills without waiting for retries.
		n = await setUpNotifications(n8n, { deliverOptions: { finalStatusCodes: '410,422' } });
		receiver = await new Receiver(n.secrets.signingSecret).start();
		receiver.script('/beta', { status: 422, body: '{"error":"unknown customer"}' });
		// Ids in one order, creation dates in another, update dates in a third: each sort shows its own.
		const added = await addEndpoints(n, [
			{ name: 'Gamma DWH', url: receiver.url('/gamma'), eventTypes: 'order.created' },
			{ name: 'Alpha ERP', url: receiver.url('/alpha'), eventTypes: 'invoice.activated' },
			{ name: 'Beta CRM', url: receiver.url('/beta'), eventTypes: 'invoice.activated' },
		]);
		endpoint = Object.fromEntries(added.map((row) => [row.name, row])) as typeof endpoint;
		backdate(n8n, n.tableId.endpoints, [
			{ id: endpoint['Alpha ERP'].id, createdAt: new Date(now - 20 * DAY), updatedAt: new Date(now - DAY) },
			{ id: endpoint['Beta CRM'].id, createdAt: new Date(now - 10 * DAY), updatedAt: new Date(now - 5 * DAY) },
		]);
		({ browser, page } = await launchChromium());
	}, 20 * 60_000);

	afterAll(async () => {
		await Promise.all([browser?.close(), receiver?.stop()]);
		await n8n?.stop();
	}, 60_000);

	it('logs real traffic: Alpha answers 200, Beta 422, Gamma gets nothing; some of it moved back hours and days', async () => {
		const events = [1, 2, 3].map((i) => catalogEvent('invoice.activated', { id: `evt_dash_${i}`, resourceId: `INV-${i}` }));
		expect((await postEvents(n, 'billing', events)).status).toBe(202);
		await waitFor(async () => (await rows(n, 'deliveries')).length === 6, { timeoutMs: 60_000, what: 'six logged deliveries' });
		const alpha = (await rows(n, 'deliveries')).filter((row) => row.endpointName === 'Alpha ERP').sort((a, b) => a.id - b.id);
		expect(alpha.map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
		backdate(n8n, n.tableId.deliveries, [
			{ id: alpha[0].id, createdAt: new Date(now - 3 * HOUR) },
			{ id: alpha[1].id, createdAt: new Date(now - 2 * DAY) },
		]);
		expect((await rows(n, 'deliveries')).filter((row) => row.endpointName === 'Beta CRM').map((row) => [row.status, row.responseCode])).toEqual([
			['failed', 422],
			['failed', 422],
			['failed', 422],
		]);
	}, 120_000);

	it('lists endpoints with their health, in a list and in cards, filtered by creation date and sorted three ways', async () => {
		await page.goto(n.url.activity);
		await page.getByLabel('Admin token').fill(n.secrets.adminToken);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('tab', { name: 'Endpoints' }).click();
		await see(page.locator('#endpoint-total')).toHaveText('3 of 3 endpoints');

		// Newest creation first by default.
		expect(await shownNames()).toEqual(['Gamma DWH', 'Beta CRM', 'Alpha ERP']);
		const row = (name: string) => page.locator(`#endpoints tr[data-endpoint="${name}"]`);
		await see(row('Alpha ERP').locator('.health.good')).toHaveText('100% ok');
		await see(row('Alpha ERP')).toContainText('200 · ');
		await see(row('Beta CRM').locator('.health.bad')).toHaveText('0% ok');
		await see(row('Beta CRM')).toContainText('422 · ');
		await see(row('Beta CRM')).toContainText('never');
		await see(row('Gamma DWH').locator('.health')).toHaveText('no traffic');
		await shot('endpoints-list');

		await tool('sort').selectOption('updatedAt');
		expect(await shownNames()).toEqual(['Gamma DWH', 'Alpha ERP', 'Beta CRM']);
		await tool('sort').selectOption('id');
		expect(await shownNames()).toEqual(['Beta CRM', 'Alpha ERP', 'Gamma DWH']);
		await tool('direction').selectOption('asc');
		expect(await shownNames()).toEqual(['Gamma DWH', 'Alpha ERP', 'Beta CRM']);
		await tool('sort').selectOption('createdAt');
		expect(await shownNames()).toEqual(['Alpha ERP', 'Beta CRM', 'Gamma DWH']);

		// From/To on the creation date, each end on its own and both together.
		await tool('from').fill(day(now - 15 * DAY));
		await see(page.locator('#endpoint-total')).toHaveText('2 of 3 endpoints');
		expect(await shownNames()).toEqual(['Beta CRM', 'Gamma DWH']);
		await tool('to').fill(day(now - 5 * DAY));
		expect(await shownNames()).toEqual(['Beta CRM']);
		await tool('from').fill('');
		expect(await shownNames()).toEqual(['Alpha ERP', 'Beta CRM']);
		await tool('to').fill(day(now - 30 * DAY));
		await see(page.locator('#endpoints')).toContainText('No endpoint was created in these dates.');
		await tool('to').fill('');
		await see(page.locator('#endpoint-total')).toHaveText('3 of 3 endpoints');

		// Cards: title, status and creation time on each.
		await page.getByLabel('Card view').check();
		const cards = page.locator('#endpoints .card');
		await see(cards).toHaveCount(3);
		for (const name of ['Alpha ERP', 'Beta CRM', 'Gamma DWH'] as const) {
			const card = page.locator(`#endpoints .card[data-endpoint="${name}"]`);
			await see(card.locator('h3')).toContainText(name);
			await see(card.locator('h3 .status')).toHaveText('active');
			const created = await page.evaluate((iso) => new Date(iso).toLocaleString(), (await rows(n, 'endpoints')).find((r) => r.name === name)!.createdAt);
			await see(card.locator('.created')).toHaveText(created);
		}
		await see(page.locator('#endpoints .card[data-endpoint="Beta CRM"] .health.bad')).toHaveText('0% ok');
		await shot('endpoints-cards');
		await page.getByLabel('List view').check();
		await see(page.locator('#endpoints tr[data-endpoint]')).toHaveCount(3);
	}, 120_000);

	it('sends a test event through the Deliver Webhook node, signed; the page shows code, body and duration; it is logged apart', async () => {
		await page.locator('#endpoints tr[data-endpoint="Gamma DWH"]').getByRole('button', { name: 'Send test' }).click();
		const dialog = page.locator('#test-dialog');
		// Gamma subscribes to order.created only: a test of another type still reaches it.
		await dialog.getByLabel('Event type').selectOption('invoice.activated');
		await dialog.getByRole('button', { name: 'Send test event' }).click();
		await see(dialog.locator('#test-code')).toHaveText('200');
		await see(dialog.locator('#test-body')).toHaveText('ok');
		await see(dialog.locator('#test-duration')).toContainText(' ms');
		await shot('test-event');

		const [received] = receiver.on('/gamma');
		expect(receiver.on('/gamma')).toHaveLength(1);
		expect(received.verifiedByStandardWebhooks).toBe(true);
		const body = JSON.parse(received.body);
		expect(body).toMatchObject({ type: 'invoice.activated', id: expect.stringMatching(/^evt_test_[0-9a-f]{24}$/) });
		expect(received.headers['webhook-id']).toBeTruthy();
		const logged = (await rows(n, 'deliveries')).filter((row) => row.test === true);
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ endpointName: 'Gamma DWH', endpointId: endpoint['Gamma DWH'].id, status: 'sent', responseCode: 200, eventId: body.id, deliveryId: received.headers['webhook-id'] });
		// Real traffic is marked so too.
		expect((await rows(n, 'deliveries')).filter((row) => row.test === false)).toHaveLength(6);

		// A failing partner: its answer and body excerpt are shown as they came.
		await dialog.getByRole('button', { name: 'Close' }).click();
		await page.locator('#endpoints tr[data-endpoint="Beta CRM"]').getByRole('button', { name: 'Send test' }).click();
		await dialog.getByLabel('Event type').selectOption('payment.assigned');
		await dialog.getByRole('button', { name: 'Send test event' }).click();
		await see(dialog.locator('#test-code')).toHaveText('422');
		await see(dialog.locator('#test-body')).toHaveText('{"error":"unknown customer"}');
		await dialog.getByRole('button', { name: 'Close' }).click();

		// Tests count in neither the health nor the counts: Gamma still has no traffic, Beta still 0 of 3.
		await see(page.locator('#endpoints tr[data-endpoint="Gamma DWH"] .health')).toHaveText('no traffic');
		const activity = (await api({ action: 'activity' })).body;
		expect(activity.overall).toMatchObject({ sent: 3, failed: 3, tests: 2 });
		const beta = activity.endpoints.find((entry: { key: string }) => entry.key === `id:${endpoint['Beta CRM'].id}`);
		expect(beta).toMatchObject({ sent: 0, failed: 3, tests: 1, lastTest: { code: 422, status: 'failed' } });
		expect((await api({ action: 'stats' })).body.lastHour).toMatchObject({ sent: 1, failed: 3 });
	}, 120_000);

	it('refuses a test to a disabled or unknown endpoint, or of a type not in the catalog, and sends nothing', async () => {
		const before = receiver.requests.length;
		const logBefore = (await rows(n, 'deliveries')).length;
		await api({ action: 'setEndpointActive', id: endpoint['Alpha ERP'].id, active: false });
		const cases: Array<[unknown, number, RegExp]> = [
			[{ action: 'test', id: endpoint['Alpha ERP'].id, eventType: 'invoice.activated' }, 409, /disabled/],
			[{ action: 'test', id: 999_999, eventType: 'invoice.activated' }, 404, /No endpoint/],
			[{ action: 'test', id: endpoint['Gamma DWH'].id, eventType: 'invoice.payed' }, 422, /not an event type of the catalog/],
			[{ action: 'test', id: endpoint['Gamma DWH'].id, eventType: '*' }, 400, /eventType must be/],
			[{ action: 'test', id: 'x', eventType: 'invoice.activated' }, 400, /id must be a row id/],
		];
		for (const [body, status, message] of cases) {
			const answer = await api(body);
			expect({ body, status: answer.status, error: answer.body.error }).toEqual({ body, status, error: expect.stringMatching(message) });
		}
		await api({ action: 'setEndpointActive', id: endpoint['Alpha ERP'].id, active: true });
		expect(receiver.requests.length).toBe(before);
		expect((await rows(n, 'deliveries')).length).toBe(logBefore);
	}, 120_000);

	it('draws deliveries per hour by status over 24 hours and 7 days, per endpoint and overall', async () => {
		const alpha = (await rows(n, 'deliveries')).filter((row) => row.endpointName === 'Alpha ERP' && row.test === false);
		const hourOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / HOUR) * HOUR).toISOString();
		await page.locator('#endpoints tr[data-endpoint="Alpha ERP"]').getByRole('button', { name: 'Activity' }).click();
		await see(page.locator('#activity-rate')).toHaveText('100%');
		await see(page.locator('#activity-sent')).toHaveText('3');

		// 24 hours: the delivery of 3 hours ago and the one of now, each in its own hour; the one of 2 days ago is not there.
		const day24 = await bars('.sent');
		expect(day24.sort((a, b) => a.hour!.localeCompare(b.hour!))).toEqual(
			alpha
				.filter((row) => Date.parse(row.createdAt) > now - DAY)
				.map((row) => ({ hour: hourOf(row.createdAt), status: 'sent', count: 1 }))
				.sort((a, b) => a.hour.localeCompare(b.hour)),
		);
		expect(await bars('.failed')).toEqual([]);
		await page.getByLabel('Last 7 days').check();
		await see(page.locator('#activity-svg[data-range="week"]')).toHaveCount(1);
		expect((await bars('.sent')).map((bar) => bar.hour).sort()).toEqual(alpha.map((row) => hourOf(row.createdAt)).sort());

		// Overall: Beta's three failures in the current hour, stacked on the sends; the tests are not drawn.
		await page.locator('#activity-tools [name="endpoint"]').selectOption('all');
		await page.getByLabel('Last 24 hours').check();
		const failed = await bars('.failed');
		expect(failed.reduce((sum, bar) => sum + bar.count, 0)).toBe(3);
		expect((await bars('')).reduce((sum, bar) => sum + bar.count, 0)).toBe(5);
		await see(page.locator('#activity-rate')).toHaveText('50%');
		await see(page.locator('#activity-tests')).toHaveText('2');
		await shot('activity-chart');

		// In the delivery log, the two tests are marked so.
		await page.getByRole('tab', { name: 'Deliveries' }).click();
		await page.getByRole('button', { name: 'Refresh', exact: true }).click();
		await see(page.locator('#total')).toHaveText('8 deliveries match');
		await see(page.locator('#deliveries .status.test')).toHaveCount(2);
	}, 120_000);

	it('keeps the admin token and the signing secret out of the tables (test rows included), saved executions and n8n\'s log', async () => {
		const { adminToken, signingSecret } = n.secrets;
		const scan = await scanForSecrets(n8n, n, [adminToken, signingSecret, signingSecret.slice('whsec_'.length)]);
		expect(scan.scannedRows).toBeGreaterThan(0);
		expect(scan.findings).toEqual([]);
	}, 60_000);
});
