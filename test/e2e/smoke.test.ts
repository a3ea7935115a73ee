import crypto from 'node:crypto';
import path from 'node:path';
import { nodeOutput, PACKAGE_NAME, REPO_ROOT, startN8n, type N8n } from '../../tools/harness';

/**
 * The real n8n 2.41.1 with the packed package installed as a community package: its nodes load
 * under the package's name, and the built-in nodes the starter workflows rely on (Webhook, Data
 * Table by name, Respond to Webhook) behave as docs/n8n-notes.md says.
 */

const packageJson = require(path.join(REPO_ROOT, 'package.json'));
// n8n's convention (and its linter's): dist/nodes/DeliverWebhook/DeliverWebhook.node.js declares "deliverWebhook".
const declaredName = (file: string) => {
	const base = path.basename(file).split('.')[0];
	return base[0].toLowerCase() + base.slice(1);
};

const table = (name: string) => ({ __rl: true, mode: 'name', value: name });
let position = 0;
const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	name,
	type,
	typeVersion,
	parameters,
	position: [(position += 220), 0],
	...extra,
});
/** Connects the nodes one after the other. */
function linearWorkflow(name: string, nodes: Array<{ name: string }>) {
	const connections: Record<string, unknown> = {};
	nodes.slice(1).forEach((next, i) => (connections[nodes[i].name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] }));
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

describe('n8n 2.41.1 with the package installed as a community package', () => {
	let n8n: N8n;

	beforeAll(async () => {
		n8n = await startN8n();
	}, 15 * 60_000); // a first run installs n8n (about 6 minutes); later runs start in about 20 s

	afterAll(async () => {
		await n8n?.stop();
	}, 60_000);

	it('loads every node and credential of the package under the package name, and lists the package as installed', async () => {
		const expectedNodes = (packageJson.n8n.nodes as string[]).map((file) => `${PACKAGE_NAME}.${declaredName(file)}`);
		const loaded = new Set((await n8n.loadedNodeTypes()).map((type) => type.name));
		for (const type of expectedNodes) expect(loaded).toContain(type);

		const credentials = new Set((await n8n.loadedCredentialTypes()).map((type) => type.name));
		for (const file of packageJson.n8n.credentials as string[]) expect(credentials).toContain(declaredName(file));

		const [installed] = (await n8n.api.listCommunityPackages()).filter((p) => p.packageName === PACKAGE_NAME);
		expect(installed).toMatchObject({ installedVersion: packageJson.version, failedLoading: false });
		expect(installed.installedNodes.map((n) => n.type).sort()).toEqual([...expectedNodes].sort());
	}, 60_000);

	it('runs a Webhook-triggered workflow that creates a data table by name if missing, inserts, gets with a filter and updates by a condition', async () => {
		const tableName = `smoke_deliveries_${Date.now()}`;
		const webhookPath = `smoke-deliveries-${Date.now()}`;
		const body = "$('Webhook').item.json.body";
		const eventIdIs = { keyName: 'eventId', condition: 'eq', keyValue: `={{ ${body}.eventId }}` };
		const workflow = linearWorkflow('Smoke: data table by name', [
			node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { webhookId: crypto.randomUUID() }),
			node('Ensure table', 'n8n-nodes-base.dataTable', 1.1, {
				resource: 'table',
				operation: 'create',
				tableName,
				columns: { column: [{ name: 'eventId', type: 'string' }, { name: 'status', type: 'string' }, { name: 'attempts', type: 'number' }, { name: 'deliveredAt', type: 'date' }] },
				options: { createIfNotExists: true },
			}),
			node('Insert', 'n8n-nodes-base.dataTable', 1.1, {
				resource: 'row',
				operation: 'insert',
				dataTableId: table(tableName),
				columns: { mappingMode: 'defineBelow', value: { eventId: `={{ ${body}.eventId }}`, status: 'pending', attempts: 0 }, matchingColumns: [], schema: [] },
				options: {},
			}),
			node('Find', 'n8n-nodes-base.dataTable', 1.1, {
				resource: 'row',
				operation: 'get',
				dataTableId: table(tableName),
				matchType: 'allConditions',
				filters: { conditions: [eventIdIs, { keyName: 'status', condition: 'eq', keyValue: 'pending' }] },
				returnAll: true,
			}),
			node('Mark delivered', 'n8n-nodes-base.dataTable', 1.1, {
				resource: 'row',
				operation: 'update',
				dataTableId: table(tableName),
				matchType: 'allConditions',
				filters: { conditions: [{ keyName: 'id', condition: 'eq', keyValue: '={{ $json.id }}' }] },
				columns: { mappingMode: 'defineBelow', value: { status: 'delivered', attempts: '={{ $json.attempts + 1 }}', deliveredAt: '={{ $now.toISO() }}' }, matchingColumns: [], schema: [] },
				options: {},
			}),
		]);
		const created = await n8n.api.importWorkflow(workflow);

		// Not live before activation; live shortly after (publishing answers before the webhook is registered).
		expect((await post(n8n, webhookPath, { eventId: 'evt_0' })).status).toBe(404);
		await n8n.api.activateWorkflow(created.id);
		await n8n.waitForWebhook(webhookPath);

		const first = await post(n8n, webhookPath, { eventId: 'evt_1' });
		expect(first.status).toBe(200);
		expect(first.body).toEqual([
			{
				id: expect.any(Number),
				eventId: 'evt_1',
				status: 'delivered',
				attempts: 1,
				deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
				createdAt: expect.any(String),
				updatedAt: expect.any(String),
			},
		]);
		// The second run reuses the table the first one created.
		const second = await post(n8n, webhookPath, { eventId: 'evt_2' });
		expect(second.status).toBe(200);
		expect(second.body).toEqual([expect.objectContaining({ eventId: 'evt_2', status: 'delivered', attempts: 1 })]);

		const tables = (await n8n.api.listDataTables({ name: tableName })).filter((t) => t.name === tableName);
		expect(tables).toHaveLength(1);
		const columns = [...tables[0].columns].sort((a, b) => a.index - b.index); // listed by name, ordered by index
		expect(columns.map((c) => [c.name, c.type])).toEqual([['eventId', 'string'], ['status', 'string'], ['attempts', 'number'], ['deliveredAt', 'date']]);
		const delivered = await n8n.api.listRows(tables[0].id, { filter: { filters: [{ columnName: 'status', condition: 'eq', value: 'delivered' }] }, sortBy: 'id:asc' });
		expect(delivered.map((r) => r.eventId)).toEqual(['evt_1', 'evt_2']);
		expect(await n8n.api.listRows(tables[0].id, { filter: { filters: [{ columnName: 'status', condition: 'eq', value: 'pending' }] } })).toEqual([]);

		// Each run is readable through the public API, node by node.
		const executions = await n8n.api.listExecutions({ workflowId: created.id, includeData: true });
		expect(executions.map((e) => [e.mode, e.status])).toEqual([['webhook', 'success'], ['webhook', 'success']]);
		const newest = executions[0];
		expect(nodeOutput(newest, 'Find')).toEqual([expect.objectContaining({ eventId: 'evt_2', status: 'pending', attempts: 0 })]);
		expect(nodeOutput(await n8n.api.getExecution(newest.id), 'Mark delivered')).toEqual(second.body);
	}, 120_000);

	it('answers on the production URL through a Respond to Webhook node once the workflow is active', async () => {
		const webhookPath = `smoke-respond-${Date.now()}`;
		const workflow = linearWorkflow('Smoke: respond to webhook', [
			node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: webhookPath, responseMode: 'responseNode', options: {} }, { webhookId: crypto.randomUUID() }),
			node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, {
				respondWith: 'json',
				responseBody: '={{ { "received": $json.body.n, "twice": $json.body.n * 2 } }}',
				options: { responseCode: 201 },
			}),
		]);
		const created = await n8n.api.importWorkflow(workflow);
		await n8n.api.activateWorkflow(created.id);
		await n8n.waitForWebhook(webhookPath);

		expect(await post(n8n, webhookPath, { n: 21 })).toEqual({ status: 201, body: { received: 21, twice: 42 } });

		await n8n.api.deactivateWorkflow(created.id);
		await n8n.waitForWebhook(webhookPath, { registered: false });
		expect((await post(n8n, webhookPath, { n: 1 })).status).toBe(404);
	}, 60_000);
});

async function post(n8n: N8n, webhookPath: string, body: unknown): Promise<{ status: number; body: unknown }> {
	const res = await fetch(`${n8n.baseUrl}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
