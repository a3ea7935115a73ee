import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { tables } from '../../../scripts/cli/tables';
import { noAuthentication } from '../../../nodes/shared/auth/authenticator';
import { Dispatcher } from '../../../nodes/shared/delivery/delivery';
import { pending } from '../../../nodes/shared/delivery/plan';
import { defaultRetryPolicy } from '../../../nodes/shared/delivery/retryPolicy';
import { defaultUrlPolicy } from '../../../nodes/shared/security/urlPolicy';
import { PACKAGE, outcomeColumns, starterWorkflows } from '../../../scripts/workflows/starterWorkflows';
import { renderWorkflow } from '../../../scripts/workflows/write';
import packageJson from '../../../package.json';

const dir = join(__dirname, '..', '..', '..', 'workflows');
const generated = starterWorkflows();

describe('starter workflows', () => {
	it('are committed exactly as the generator writes them (run `npm run workflows` after changing it)', () => {
		expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(generated).sort());
		for (const [file, workflow] of Object.entries(generated)) {
			expect({ file, text: readFileSync(join(dir, file), 'utf8') }).toEqual({ file, text: renderWorkflow(workflow) });
		}
	});

	it('use only node types that exist: the package\'s own, by their installed names, and n8n built-ins', () => {
		const ours = new Set(
			(packageJson.n8n.nodes as string[]).map((file) => {
				const base = file.split('/').pop()!.split('.')[0];
				return `${PACKAGE}.${base[0].toLowerCase()}${base.slice(1)}`;
			}),
		);
		for (const workflow of Object.values(generated)) {
			for (const node of workflow.nodes) {
				if (node.type.startsWith(`${PACKAGE}.`)) expect(ours).toContain(node.type);
				else expect(node.type).toMatch(/^n8n-nodes-base\./);
			}
		}
	});

	it('connect only nodes that exist, and every node but the triggers has an input', () => {
		for (const workflow of Object.values(generated)) {
			const names = new Set(workflow.nodes.map((n) => n.name));
			expect(names.size).toBe(workflow.nodes.length);
			const targets = new Set<string>();
			for (const [from, { main }] of Object.entries(workflow.connections)) {
				expect({ workflow: workflow.name, from, exists: names.has(from) }).toMatchObject({ exists: true });
				for (const link of main.flat()) {
					expect({ workflow: workflow.name, to: link.node, exists: names.has(link.node) }).toMatchObject({ exists: true });
					targets.add(link.node);
				}
			}
			const untargeted = workflow.nodes.filter((n) => !targets.has(n.name)).map((n) => n.name);
			const triggers = workflow.nodes.filter((n) => /Trigger$|\.webhook$/.test(n.type)).map((n) => n.name);
			expect(triggers.length).toBeGreaterThan(0);
			expect({ workflow: workflow.name, untargeted }).toEqual({ workflow: workflow.name, untargeted: triggers });
		}
	});

	it('the Setup workflow creates the same tables and columns as the setup command', () => {
		const setupNodes = generated['setup.json'].nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable');
		expect(setupNodes.map((n) => [n.parameters.tableName, (n.parameters.columns as { column: unknown }).column])).toEqual(
			tables.map((t) => [t.name, t.columns]),
		);
	});

	it('refer to tables by name, and no table name contains another (n8n looks names up with "contains")', () => {
		const names = tables.map((t) => t.name);
		for (const a of names) for (const b of names) if (a !== b) expect(a.includes(b)).toBe(false);
		for (const workflow of Object.values(generated)) {
			for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable' && n.parameters.resource === 'row')) {
				expect(node.parameters.dataTableId).toMatchObject({ __rl: true, mode: 'name' });
				expect(names).toContain((node.parameters.dataTableId as { value: string }).value);
			}
		}
	});

	it('write no secret into a table: no column mapping mentions a credential or the payload\'s secrets', () => {
		const text = JSON.stringify(Object.values(generated));
		expect(text).not.toMatch(/whsec_|\$credentials|clientSecret/);
	});
});

describe('what the starter workflows write without mapping (n8n refuses a field that is not a column)', () => {
	const columnsOf = (name: string) => tables.find((t) => t.name === name)!.columns.map((c) => c.name).sort();
	const job = {
		deliveryId: 'dlv_1',
		eventId: 'evt_1',
		eventType: 'invoice.paid',
		endpoint: { key: 'k', name: 'crm', url: 'http://10.0.0.1/hook' },
		payload: '{}',
		authenticator: noAuthentication,
		signingSecrets: [],
		trigger: 'scheduled' as const,
	};

	it('a prepared delivery, less attemptLog and plus version, is a webhook_deliveries row', () => {
		const keys = Object.keys(pending(job, new Date())).filter((key) => key !== 'attemptLog');
		expect([...keys, 'version'].sort()).toEqual(columnsOf('webhook_deliveries'));
		const set = generated['billing-dispatch.json'].nodes.find((n) => n.name === 'Delivery Rows')!;
		expect(set.parameters).toMatchObject({ include: 'except', excludeFields: 'attemptLog' });
	});

	it('an attempt log entry is a webhook_attempts row, and an outcome holds only deliveries columns', async () => {
		// A refused address: the attempt is made and logged without any network.
		const result = await new Dispatcher({
			retryPolicy: { ...defaultRetryPolicy, maxAttempts: 1 },
			timeoutMs: 1000,
			urlPolicy: defaultUrlPolicy,
			maxConcurrency: 1,
			maxConcurrencyPerEndpoint: 1,
			responseBodyLimit: 10,
			responseReadLimit: 10,
		}).deliver(job);
		expect(result.attemptLog).toHaveLength(1);
		expect(Object.keys(result.attemptLog[0]).sort()).toEqual(columnsOf('webhook_attempts'));
		expect(columnsOf('webhook_deliveries')).toEqual(expect.arrayContaining(['deliveryId', ...outcomeColumns]));
		expect(Object.keys(result)).toEqual(expect.arrayContaining(outcomeColumns));
	});
});
