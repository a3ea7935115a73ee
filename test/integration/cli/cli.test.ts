import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Webhook as StandardWebhook } from 'standardwebhooks';

import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { ShippingEventTrigger } from '../../../nodes/ShippingEventTrigger/ShippingEventTrigger.node';
import { sendSampleCommand, signCommand } from '../../../scripts/cli/postCommands';
import { UsageError } from '../../../scripts/cli/sourcePost';
import { describeUrls, listenUrls, TRIGGER_PATHS } from '../../../scripts/cli/urls';
import { starterWorkflows } from '../../../starter';
import { N8nWebhookHarness } from '../triggers/n8nWebhookHarness';
import { removeN8nUserFolder } from '../triggers/n8nUserFolder';

/**
 * The command line's sign and send-sample against the real trigger node served over loopback HTTP
 * (n8n's own webhook context), and setup's URL list from the generated starter workflows.
 */
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'wn-cli-'));
const secretFile = join(dir, 'secret.txt');
const setupSecretsFile = join(dir, 'webhook-notifications.secrets.json');
writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
writeFileSync(setupSecretsFile, JSON.stringify({ signingSecret: 'whsec_b3RoZXI=', sourceSigningSecret: secret, adminToken: 'tok' }), { mode: 0o600 });

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

let harness: N8nWebhookHarness;
beforeAll(async () => {
	harness = await new N8nWebhookHarness({
		nodeType: new BillingEventTrigger(),
		parameters: { authentication: 'signature', respond: 'immediately', validation: 'lenient' },
		credentials: { webhookSigningSecretApi: { secret, previousSecret: '' } },
	}).start();
});
afterAll(async () => {
	await harness?.stop();
	rmSync(dir, { recursive: true, force: true });
	removeN8nUserFolder();
});

describe('sign', () => {
	test('signs a catalog sample with the secret from a file; standardwebhooks verifies it; the secret is not printed', async () => {
		const { io, out } = capture();
		expect(await signCommand(['--secret-file', secretFile, '--sample', 'invoice.paid', '--json'], io)).toBe(0);
		const post = JSON.parse(out.join('\n')) as { headers: Record<string, string>; body: string };
		expect(() => new StandardWebhook(secret).verify(post.body, post.headers)).not.toThrow();
		expect(JSON.parse(post.body)).toMatchObject({ type: 'invoice.paid', id: expect.stringMatching(/^evt_[0-9a-f]{24}$/) });
		expect(out.join('\n')).not.toContain(secret.slice(6));
	});

	test("setup's secrets file gives its sourceSigningSecret; with --n8n-url it prints a curl command for the starter dispatch", async () => {
		const { io, out } = capture();
		expect(await signCommand(['--secret-file', setupSecretsFile, '--sample', 'shipping.order.created', '--n8n-url', 'http://127.0.0.1:5678/'], io)).toBe(0);
		expect(out[0]).toMatch(/^curl -sS -X POST 'http:\/\/127\.0\.0\.1:5678\/webhook\/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02\/shipping-events' -H 'content-type: application\/json' -H 'webhook-id: msg_/);
	});

	test('a body of your own is signed exactly as given', async () => {
		const { io, out } = capture();
		const body = '{"type":"invoice.paid", "data":{}}';
		expect(await signCommand(['--secret', secret, '--body', body], io)).toBe(0);
		const headers = Object.fromEntries(out.slice(0, 4).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
		expect(out[5]).toBe(body);
		expect(() => new StandardWebhook(secret).verify(body, headers)).not.toThrow();
	});

	test.each([
		['no secret at all (nothing falls back to a secrets file)', ['--sample', 'invoice.paid'], /a signing secret is needed/],
		['both --secret and --secret-file', ['--secret', secret, '--secret-file', secretFile, '--sample', 'invoice.paid'], /not both/],
		['a secret that is not whsec_', ['--secret', 'hunter2', '--sample', 'invoice.paid'], /not usable/],
		['a missing secret file', ['--secret-file', join(dir, 'nope'), '--sample', 'invoice.paid'], /cannot read the secret file/],
		['a body that is not JSON', ['--secret', secret, '--body', 'hello'], /not JSON/],
		['no body', ['--secret', secret], /exactly one of/],
		['an unknown type', ['--secret', secret, '--sample', 'invoice.payed'], /not a built-in event type/],
		['a field the sample lacks', ['--secret', secret, '--sample', 'invoice.paid', '--without', 'invoice.nope'], /has no field invoice.nope/],
		['a URL that is not http', ['--secret', secret, '--sample', 'invoice.paid', '--url', 'file:///etc/passwd'], /not an http\(s\) URL/],
	])('refuses %s with a clear message that holds no secret', async (_name, args, message) => {
		const { io } = capture();
		const failure = signCommand(args, io);
		await expect(failure).rejects.toThrow(UsageError);
		await expect(failure).rejects.toThrow(message);
		await failure.catch((error: Error) => expect(error.message).not.toContain(secret.slice(6)));
	});
});

describe('send-sample against the real trigger over loopback', () => {
	test('a catalog sample is accepted (202) and starts the workflow', async () => {
		const before = harness.executions.length;
		const { io, out } = capture();
		expect(await sendSampleCommand(['invoice.paid', '--url', harness.url, '--secret-file', secretFile], io)).toBe(0);
		expect(out[0]).toBe(`POST ${harness.url} -> 202`);
		expect(harness.executions).toHaveLength(before + 1);
		expect(harness.executions[before].items[0].json).toMatchObject({ type: 'invoice.paid' });
	});

	test('--without leaves fields out: the lenient trigger accepts and lists the schema issues', async () => {
		const { io, out } = capture();
		expect(await sendSampleCommand(['order.activated', '--url', harness.url, '--secret-file', secretFile, '--without', 'order.orderNumber', '--without', 'data.order.customerId'], io)).toBe(0);
		const receipt = JSON.parse(out[1]);
		expect(receipt.accepted[0].schemaIssues.map((issue: { path: string }) => issue.path)).toEqual(['data.order.orderNumber', 'data.order.customerId']);
	});

	test('the wrong secret: the trigger answers 401 and the command exits 1', async () => {
		const { io, out } = capture();
		expect(await sendSampleCommand(['invoice.paid', '--url', harness.url, '--secret', `whsec_${randomBytes(32).toString('base64')}`], io)).toBe(1);
		expect(out[0]).toBe(`POST ${harness.url} -> 401`);
	});

	test('a custom type with --data-file; nothing listening: exit 1 with the reason', async () => {
		const dataFile = join(dir, 'data.json');
		writeFileSync(dataFile, JSON.stringify({ invoice: { id: 'inv_1' } }));
		const { io, out } = capture();
		// The trigger knows no custom types here: its answer says so.
		expect(await sendSampleCommand(['invoice.overdue', '--url', harness.url, '--secret-file', secretFile, '--data-file', dataFile], io)).toBe(1);
		expect(out[0]).toBe(`POST ${harness.url} -> 422`);
		const closed = capture();
		expect(await sendSampleCommand(['invoice.paid', '--url', 'http://127.0.0.1:1/webhook/x', '--no-sign'], closed.io, { timeoutMs: 5000 })).toBe(1);
		expect(closed.err[0]).toMatch(/^POST http:\/\/127\.0\.0\.1:1\/webhook\/x failed/);
		await expect(sendSampleCommand(['invoice.overdue', '--n8n-url', 'http://127.0.0.1:5678', '--no-sign', '--data-file', dataFile], capture().io)).rejects.toThrow(/give --system/);
		await expect(sendSampleCommand(['invoice.paid', '--url', harness.url, '--no-sign', '--secret', secret], capture().io)).rejects.toThrow(/contradict/);
	});
});

describe("setup's URL list", () => {
	test('the trigger paths are the nodes\' own', () => {
		expect(TRIGGER_PATHS).toEqual({
			'n8n-nodes-webhook-notifications.billingEventTrigger': new BillingEventTrigger().description.webhooks![0].path,
			'n8n-nodes-webhook-notifications.shippingEventTrigger': new ShippingEventTrigger().description.webhooks![0].path,
		});
	});

	test('lists every trigger URL, the activity page and the resend API of the starter workflows', () => {
		const workflows = Object.values(starterWorkflows()).map((workflow) => ({ id: '', ...workflow }));
		const lines = describeUrls(listenUrls(workflows, 'https://n8n.example.com/'), 'https://n8n.example.com/');
		expect(lines).toEqual([
			expect.stringMatching(/^Trigger URLs/),
			'  Billing Event Trigger    POST https://n8n.example.com/webhook/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events',
			'  Shipping Event Trigger   POST https://n8n.example.com/webhook/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02/shipping-events',
			'Activity page: https://n8n.example.com/webhook/webhook-notifications/activity (sign in with the admin token)',
			'Resend API:    POST https://n8n.example.com/webhook/webhook-notifications/resend (header x-webhook-admin-token)',
		]);
	});
});
