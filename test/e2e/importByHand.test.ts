import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { ALLOWED_HTTP_HOSTS_ENV, ALLOWED_PRIVATE_HOSTS_ENV } from '../../nodes/DeliverWebhook/settings';
import { tables } from '../../nodes/shared/storage/tables';
import { ADMIN_HEADER, CREDENTIAL, ENDPOINT_HEALTH_WORKFLOW, OPERATIONAL_EVENTS_WORKFLOW, PACKAGE, TABLE } from '../../starter';
import { TRIGGER_WEBHOOK_ID } from '../../starter/dispatch';
import { newSigningSecret, Receiver } from '../helpers/receiver';
import { nodeOutput, REPO_ROOT, startN8n, waitFor, type N8n, type Workflow } from '../../tools/harness';
import { catalogEvent } from '../../tools/notifications';

/**
 * The by-hand path of the README, as an ops person walks it, with no setup command: create the
 * credentials the workflows name, import every file of workflows/ as it is, run the Setup workflow
 * once, publish every workflow that has a trigger, add endpoint rows, and post a signed event.
 * The instance allows loopback receivers over http through WEBHOOK_NOTIFICATIONS_ALLOWED_PRIVATE_HOSTS and _HTTP_HOSTS
 * (an admin's setting), so the workflows stay exactly as shipped.
 */
describe('starter workflows imported by hand', () => {
	let n8n: N8n;
	let receiver: Receiver;
	const signingSecret = newSigningSecret();
	const sourceSecret = newSigningSecret();
	const imported: Record<string, Workflow> = {};
	let activated = 0;

	beforeAll(async () => {
		n8n = await startN8n({ env: { [ALLOWED_PRIVATE_HOSTS_ENV]: '127.0.0.1', [ALLOWED_HTTP_HOSTS_ENV]: '127.0.0.1' } });
		receiver = await new Receiver(signingSecret).start();
	}, 15 * 60_000);

	afterAll(async () => {
		await receiver?.stop();
		await n8n?.stop();
	}, 60_000);

	it('imports every workflow file as it is, after only the documented credentials, and publishes every workflow with a trigger', async () => {
		// README, step 2: the five credentials, by these names.
		const documented = [
			{ ...CREDENTIAL.sourceSigning, data: { secret: sourceSecret, previousSecret: '' } },
			{ ...CREDENTIAL.signing, data: { secret: signingSecret, previousSecret: '' } },
			{ ...CREDENTIAL.admin, data: { name: ADMIN_HEADER, value: 'an-admin-token-of-enough-length-0123456789' } },
			{ ...CREDENTIAL.n8nApi, data: { apiKey: n8n.apiKey, baseUrl: `${n8n.baseUrl}/api/v1` } },
			{ ...CREDENTIAL.endpointSecretsKey, data: { secretKey: randomBytes(32).toString('base64'), previousSecretKey: '' } },
		];
		for (const { name, type, data } of documented) await n8n.api.request('POST', '/credentials', { body: { name, type, data } });

		// Step 3: every file, unchanged (the public API takes exactly the four fields the files hold).
		const dir = path.join(REPO_ROOT, 'workflows');
		for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
			const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			expect(Object.keys(json).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
			imported[json.name] = await n8n.api.request('POST', '/workflows', { body: json });
		}

		// Step 4: run Setup once, as the editor's "Execute workflow" does.
		const setupWorkflow = imported['Webhook Notifications: Setup'];
		await n8n.rest('POST', `/workflows/${setupWorkflow.id}/run`, { triggerToStartFrom: { name: 'Run Once' } });
		await waitFor(async () => (await n8n.api.listDataTables()).filter((table) => tables.some((t) => t.name === table.name)).length === tables.length, {
			timeoutMs: 60_000,
			what: 'the Setup workflow to create the tables',
		});

		// Step 5: publish every workflow that has a trigger (all but Setup).
		const failures: string[] = [];
		for (const workflow of Object.values(imported)) {
			const triggered = workflow.nodes.some((node) => /Trigger$|\.webhook$/i.test(String(node.type)) && !/manualTrigger$/.test(String(node.type)));
			if (!triggered) continue;
			try {
				await n8n.api.activateWorkflow(workflow.id);
				activated++;
			} catch (error) {
				failures.push(`${workflow.name}: ${(error as Error).message}`);
			}
		}
		expect(failures).toEqual([]);
		expect(activated).toBe(Object.keys(imported).length - 1);
	}, 180_000);

	it('delivers a signed sample event to an endpoint row, and a 410 endpoint is disabled and announced through the sub-workflows', async () => {
		await n8n.waitForWebhook(`${TRIGGER_WEBHOOK_ID.billing}/billing-events`);
		receiver.script('/partner', { status: 200, body: 'ok' });
		receiver.script('/gone', { status: 410, body: 'gone' });
		// Step 6: endpoint rows (here through the API; by hand in the data table or on the activity page).
		const endpointsTable = (await n8n.api.findDataTable(TABLE.endpoints))!;
		const row = { eventTypes: '*', channels: '', active: true, authentication: 'none', description: '' };
		await n8n.api.insertRows(endpointsTable.id, [
			{ ...row, name: 'partner', url: receiver.url('/partner') },
			{ ...row, name: 'gone', url: receiver.url('/gone') },
		]);

		// Step 7: the source posts a signed event (the README's curl, or `sign`).
		const event = catalogEvent('invoice.activated', { id: 'evt_by_hand_1' });
		const body = JSON.stringify(event);
		const id = 'msg_by_hand_1';
		const now = new Date();
		const response = await fetch(`${n8n.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID.billing}/billing-events`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'webhook-id': id,
				'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
				'webhook-signature': new StandardWebhook(sourceSecret).sign(id, now, body),
			},
			body,
		});
		expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 202, body: { accepted: ['evt_by_hand_1'] } });

		await waitFor(() => receiver.on('/partner').length === 1, { timeoutMs: 30_000, what: 'the partner endpoint to get the event' });
		const [received] = receiver.on('/partner');
		expect(received.verifiedByStandardWebhooks).toBe(true);
		expect(JSON.parse(received.body)).toMatchObject({ id: 'evt_by_hand_1', type: 'invoice.activated' });

		// Endpoint health and Operational events are found by name: the 410 endpoint is disabled, and announced.
		const operational = imported[OPERATIONAL_EVENTS_WORKFLOW];
		const announced = await waitFor(
			async () => {
				const executions = await n8n.api.listExecutions({ workflowId: operational.id, includeData: true });
				const items = executions.flatMap((execution) => nodeOutput(execution, 'Route It (Mail, Chat)'));
				return items.length > 0 && items;
			},
			{ timeoutMs: 60_000, what: `an endpoint.disabled event through "${ENDPOINT_HEALTH_WORKFLOW}"` },
		);
		expect(announced).toEqual([expect.objectContaining({ type: 'endpoint.disabled', data: expect.objectContaining({ reason: 'The endpoint answered 410 Gone' }) })]);
		const [gone] = await n8n.api.listRows(endpointsTable.id, { filter: { type: 'and', filters: [{ columnName: 'name', condition: 'eq', value: 'gone' }] } });
		expect(gone).toMatchObject({ active: false });

		const delivered = receiver.on('/partner').filter((request) => request.verifiedByStandardWebhooks).length;
		process.stdout.write(`import-by-hand: workflows=${Object.keys(imported).length} activated=${activated} delivered=${delivered}\n`);
		expect(delivered).toBe(1);
	}, 120_000);

	it('a Deliver Webhook node dropped on a fresh workflow with only a URL delivers any item; failed deliveries can leave on a second output, with a hint', async () => {
		receiver.script('/dropped', { status: 200, body: 'ok' });
		receiver.script('/down', { status: 503, body: 'down' }, { status: 503, body: 'down' }, { status: 503, body: 'down' });
		const fresh = (name: string, webhookPath: string, deliver: Record<string, unknown>) => ({
			name,
			nodes: [
				{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} }, webhookId: webhookPath },
				// What the editor saves for a node dropped from the panel and given a URL: its type, version 2, and the one parameter.
				{ name: 'Deliver Webhook', type: `${PACKAGE}.deliverWebhook`, typeVersion: 2, position: [240, 0], parameters: deliver },
			],
			connections: { Webhook: { main: [[{ node: 'Deliver Webhook', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const dropped = await n8n.api.createWorkflow(fresh('Dropped Deliver Webhook', 'dropped-deliver', { url: receiver.url('/dropped') }));
		await n8n.api.activateWorkflow(dropped.id);
		await n8n.waitForWebhook('dropped-deliver');
		const answer = await fetch(`${n8n.baseUrl}/webhook/dropped-deliver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: 42 }) });
		expect({ status: answer.status, body: await answer.json() }).toMatchObject({ status: 200, body: { status: 'sent', responseCode: 200, eventType: 'workflow.item' } });
		const [received] = receiver.on('/dropped');
		expect(received.headers['webhook-signature']).toBeUndefined(); // signing is off until turned on
		expect(JSON.parse(received.body)).toMatchObject({ type: 'workflow.item', data: { body: { order: 42 } } });

		const split = await n8n.api.createWorkflow(
			fresh('Deliver Webhook with a Failed output', 'split-deliver', {
				endpointSource: 'field',
				options: { failedDeliveries: 'secondOutput', maxAttempts: 1 },
			}),
		);
		await n8n.api.activateWorkflow(split.id);
		await n8n.waitForWebhook('split-deliver');
		const event = { type: 'order.activated', data: { order: { id: 'o_1' } } };
		const endpoints = [
			{ name: 'up', url: receiver.url('/dropped') },
			{ name: 'down', url: receiver.url('/down') },
		];
		// The Webhook item is not an event itself, so it becomes the data of one; it has no endpoints field.
		const body = JSON.stringify(event);
		await fetch(`${n8n.baseUrl}/webhook/split-deliver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(receiver.on('/dropped')).toHaveLength(1); // the Webhook item has no endpoints field: the node says so and sends nothing
		const [failedRun] = await waitFor(async () => {
			const runs = await n8n.api.listExecutions({ workflowId: split.id, includeData: true });
			return runs.length > 0 && runs;
		}, { what: 'the refused run' });
		expect(JSON.stringify(failedRun.data?.resultData.error ?? '')).toContain('has no endpoints in its field');

		const withField = await n8n.api.createWorkflow({
			...fresh('Deliver Webhook with a Failed output, endpoints in the item', 'split-field', {
				eventSource: 'envelope',
				endpointSource: 'field',
				options: { failedDeliveries: 'secondOutput', maxAttempts: 1 },
			}),
			nodes: [
				{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], parameters: { httpMethod: 'POST', path: 'split-field', responseMode: 'lastNode', options: {} }, webhookId: 'split-field' },
				{ name: 'Event', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [120, 0], parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} } },
				{ name: 'Deliver Webhook', type: `${PACKAGE}.deliverWebhook`, typeVersion: 2, position: [240, 0], parameters: { eventSource: 'envelope', endpointSource: 'field', options: { failedDeliveries: 'secondOutput', maxAttempts: 1 } } },
			],
			connections: { Webhook: { main: [[{ node: 'Event', type: 'main', index: 0 }]] }, Event: { main: [[{ node: 'Deliver Webhook', type: 'main', index: 0 }]] } },
		});
		await n8n.api.activateWorkflow(withField.id);
		await n8n.waitForWebhook('split-field');
		await fetch(`${n8n.baseUrl}/webhook/split-field`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...event, endpoints }) });
		const [run] = await waitFor(async () => {
			const runs = await n8n.api.listExecutions({ workflowId: withField.id, includeData: true });
			return runs.length > 0 && runs;
		}, { what: 'the split run' });
		expect(nodeOutput(run, 'Deliver Webhook', 0).map((item) => [item.endpointName, item.status])).toEqual([['up', 'sent']]);
		expect(nodeOutput(run, 'Deliver Webhook', 1).map((item) => [item.endpointName, item.status])).toEqual([['down', 'retrying']]);
		const hints = (run.data?.resultData.runData['Deliver Webhook'][0] as { hints?: Array<{ message: string }> }).hints ?? [];
		expect(hints.map((hint) => hint.message)).toContain('1 of 2 deliveries are left for the durable retry schedule');
	}, 120_000);
});

