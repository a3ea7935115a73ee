import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { noAuthentication } from '../../../nodes/shared/auth/authenticator';
import { Dispatcher } from '../../../nodes/shared/delivery/delivery';
import { parseEndpoints } from '../../../nodes/shared/delivery/plan';
import { defaultRetryPolicy } from '../../../nodes/shared/delivery/retryPolicy';
import { defaultUrlPolicy } from '../../../nodes/shared/security/urlPolicy';
import { eventRowFor, planOutbox, recordFor } from '../../../nodes/shared/storage/records';
import { columnNames, DELIVERY_COLUMNS, EVENT_COLUMNS, EVENT_KEY_COLUMNS, OUTBOX_COLUMNS, tables } from '../../../nodes/shared/storage/tables';
import { PACKAGE, starterWorkflows } from '../../../starter';
import { OPEN_ROW_COLUMNS } from '../../../starter/settle';
import { renderWorkflow } from '../../../starter/write';
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
			const untargeted = workflow.nodes.filter((n) => !targets.has(n.name) && n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
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
		// The activity page's HTML names the write-only secret fields it sends; it writes no table.
		const text = JSON.stringify(Object.values(generated), (key, value) => (key === 'responseBody' && /^<!doctype html>/i.test(String(value)) ? '' : value));
		expect(text).not.toMatch(/whsec_|\$credentials|clientSecret/);
	});
});

describe('what the starter workflows write without mapping (n8n refuses a field that is not a column)', () => {
	const sorted = (names: string[]) => [...names].sort();
	const event = { id: 'evt_1', type: 'invoice.paid', timestamp: '2026-12-04T00:00:00.000Z', resourceId: 'inv_1', channels: ['a', 'b'], data: {} };

	it('an event record is exactly a webhook_events row', () => {
		// schemaIssues only when lenient validation found some: rows still insert into tables made before the column.
		expect(sorted(Object.keys(eventRowFor(event, 'billing', '{}')))).toEqual(sorted(columnNames(EVENT_COLUMNS).filter((name) => name !== 'schemaIssues')));
		expect(sorted(Object.keys(eventRowFor(event, 'billing', '{}', [{ path: 'data.order.id', message: 'Required' }])))).toEqual(sorted(columnNames(EVENT_COLUMNS)));
	});

	it('a planned delivery, less its payload, is exactly a webhook_outbox row', () => {
		const rows = planOutbox({ ...eventRowFor(event, 'billing', '{}'), id: 7 }, parseEndpoints([{ id: 3, name: 'crm', url: 'https://crm.example/hook' }]), { claim: '12', dueAt: '2026-12-04T00:02:00.000Z' });
		expect(rows).toHaveLength(1);
		expect(sorted(Object.keys(rows[0]))).toEqual(sorted(columnNames(OUTBOX_COLUMNS)));
		const set = generated['billing-dispatch.json'].nodes.find((n) => n.name === 'Outbox Rows')!;
		expect(set.parameters).toMatchObject({ include: 'except', excludeFields: 'payload' });
	});

	it('a key row is exactly a webhook_event_keys row', () => {
		const keyRows = generated['billing-dispatch.json'].nodes.find((n) => n.name === 'Key Rows')!;
		const expression = JSON.stringify(keyRows.parameters);
		for (const column of columnNames(EVENT_KEY_COLUMNS)) expect(expression).toContain(`${column}:`);
	});

	it('an outcome holds every delivery log column, and the open-row columns are outbox columns', async () => {
		// A refused address: the attempt is made and recorded without any network.
		const [row] = planOutbox({ ...eventRowFor(event, 'billing', '{}'), id: 7 }, parseEndpoints([{ id: 3, url: 'http://10.0.0.1/hook' }]), { claim: '12', dueAt: new Date().toISOString() });
		const result = await new Dispatcher({
			retryPolicy: { ...defaultRetryPolicy, maxAttempts: 1 },
			timeoutMs: 1000,
			urlPolicy: defaultUrlPolicy,
			maxConcurrency: 1,
			maxConcurrencyPerEndpoint: 1,
			responseBodyLimit: 10,
			responseReadLimit: 10,
		}).deliver({ ...row, endpoint: { key: 'k', name: 'crm', url: row.endpointUrl }, payload: JSON.stringify(event), authenticator: noAuthentication, signingSecrets: [], trigger: 'scheduled' });
		const record = recordFor(row, result, 'scheduled');
		expect(Object.keys(record)).toEqual(expect.arrayContaining(columnNames(DELIVERY_COLUMNS)));
		expect(columnNames(OUTBOX_COLUMNS)).toEqual(expect.arrayContaining(OPEN_ROW_COLUMNS));
		const logRows = generated['billing-dispatch.json'].nodes.find((n) => n.name === 'Log Rows')!;
		expect(logRows.parameters).toMatchObject({ include: 'selected', includeFields: columnNames(DELIVERY_COLUMNS).join(',') });
	});
});
