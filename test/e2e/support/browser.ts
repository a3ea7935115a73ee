import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

import { REPO_ROOT } from '../../../tools/harness';

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium (installed when missing) with one page, of a laptop's size unless told otherwise. */
export async function launchChromium(pageOptions: BrowserContextOptions = { viewport: { width: 1366, height: 900 } }): Promise<{ browser: Browser; page: Page }> {
	execFileSync('bash', [path.join(REPO_ROOT, 'scripts/services/install.sh'), 'browser'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
	return { browser, page: await browser.newPage(pageOptions) };
}

/** Retrying assertions on the page (playwright-core has no test runner's expect): each waits up to 15 s. */
export function see(locator: Locator) {
	const until = async (check: () => Promise<boolean>, what: () => Promise<string>) => {
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			if (await check().catch(() => false)) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(await what());
	};
	const text = async () => (await locator.allInnerTexts()).join(' | ');
	return {
		toHaveText: (expected: string) => until(async () => (await locator.innerText()).trim() === expected, async () => `expected text "${expected}", got "${await text()}"`),
		toContainText: (expected: string) => until(async () => (await text()).includes(expected), async () => `expected "${expected}" in "${await text()}"`),
		toHaveCount: (expected: number) => until(async () => (await locator.count()) === expected, async () => `expected ${expected} elements, got ${await locator.count()}`),
		toBeVisible: () => until(() => locator.isVisible(), async () => 'expected the element to be visible'),
	};
}
