import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';

import { PACKAGE } from '../../starter';
import { OWNER, REPO_ROOT, startN8n, type N8n } from '../../tools/harness';
import { setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * The README's canvas pictures, taken from a real n8n 2.41.1 editor in Debian's Chromium: the
 * Billing dispatch with its sticky notes, and the panel of a Deliver Webhook node as dropped (a URL
 * and the Failed Deliveries option set). Saved to docs/screenshots/.
 */
const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const DELIVER_NODE_ID = '5d0c1b7e-2a41-4c8e-9d1f-0b6a3c2e4f10';

describe('canvas screenshots from the n8n editor', () => {
	let n8n: N8n;
	let n: Notifications;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		n8n = await startN8n();
		n = await setUpNotifications(n8n);
		// Twice the pixels: the notes stay readable in the README's picture of the whole workflow.
		({ browser, page } = await launchChromium({ viewport: { width: 1800, height: 1000 }, deviceScaleFactor: 2 }));
		// Sign in through the editor's own form.
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
	}, 20 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
	}, 60_000);

	const openWorkflow = async (id: string, nodeId = '') => {
		await page.goto(`${n8n.baseUrl}/workflow/${id}${nodeId ? `/${nodeId}` : ''}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000); // the canvas fits the view after the nodes render
		// The editor's "Production Checklist" card covers the canvas of a published workflow.
		// Its close button has no name to find it by, so the card is hidden for the picture.
		await page.evaluate(() => {
			const all = Array.from((globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<unknown> } }).document.querySelectorAll('*')) as Array<{ childElementCount: number; textContent: string | null; parentElement: unknown; getBoundingClientRect(): { height: number }; style: { display: string } }>;
			let card = all.find((element) => element.childElementCount === 0 && element.textContent?.trim() === 'Production Checklist');
			while (card && card.getBoundingClientRect().height < 150) card = card.parentElement as typeof card;
			if (card) card.style.display = 'none';
		});
	};

	it('the Billing dispatch with its notes', async () => {
		await openWorkflow(n.setup.workflows['Webhook Notifications: Billing dispatch'].id);
		await page.keyboard.press('1'); // zoom to fit
		await page.waitForTimeout(800);
		await expect(page.getByText('Production Checklist', { exact: true }).isVisible()).resolves.toBe(false);
		const notes = page.locator('[data-test-id="sticky"], .sticky-textarea, [data-test-id="canvas-sticky-note-node"]');
		expect(await notes.count()).toBeGreaterThanOrEqual(3);
		await expect(page.getByText('Do not change').first().isVisible()).resolves.toBe(true);
		const file = path.join(SHOTS, 'dispatch-canvas.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(100_000);
	}, 120_000);

	it('the Deliver Webhook panel as dropped, with a URL', async () => {
		const workflow = await n8n.api.createWorkflow({
			name: 'Deliver Webhook as dropped',
			nodes: [
				{ name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: DELIVER_NODE_ID, name: 'Deliver Webhook', type: `${PACKAGE}.deliverWebhook`, typeVersion: 2, position: [260, 0], parameters: { url: 'https://partner.example/webhooks', options: { failedDeliveries: 'secondOutput' } } },
			] as never,
			connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: 'Deliver Webhook', type: 'main', index: 0 }]] } } as never,
			settings: { executionOrder: 'v1' },
		});
		// The editor opens a node's panel from its URL.
		await openWorkflow(workflow.id, DELIVER_NODE_ID);
		const panel = page.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="ndv-modal"]').first();
		await panel.waitFor({ timeout: 30_000 });
		await page.waitForTimeout(800);
		const file = path.join(SHOTS, 'deliver-webhook-panel.png');
		await page.screenshot({ path: file });
		// The panel shows version 2's parameters: what the items are, one URL, signing (off), the option set.
		for (const label of ['Input Items Are', 'Endpoints', 'Sign Webhooks', 'Failed Deliveries']) {
			await expect(page.getByText(label, { exact: true }).first().isVisible()).resolves.toBe(true);
		}
		expect(await page.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value))).toEqual(
			expect.arrayContaining(['Events or Any Data', 'One URL']),
		);
		expect(fs.statSync(file).size).toBeGreaterThan(30_000);
	}, 120_000);
});
