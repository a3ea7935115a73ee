import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodeType } from 'n8n-workflow';

import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { ShippingEventTrigger } from '../../../nodes/ShippingEventTrigger/ShippingEventTrigger.node';
import { WebhookEventCatalog } from '../../../nodes/WebhookEventCatalog/WebhookEventCatalog.node';
import { eventTypesOf, validateEvent, type EventSystem } from '../../../nodes/shared/event/catalog';

const root = join(__dirname, '..', '..', '..');
const triggers: Array<[EventSystem, INodeType, string]> = [
	['billing', new BillingEventTrigger(), 'BillingEventTrigger'],
	['shipping', new ShippingEventTrigger(), 'ShippingEventTrigger'],
];
const property = (node: INodeType, name: string) => node.description.properties.find((p) => p.name === name) as INodeProperties;

describe.each(triggers)('%s trigger description', (system, node, folder) => {
	test('offers every event type of its system, and "All Events" by default', () => {
		const events = property(node, 'events');
		expect(events.default).toEqual(['*']);
		expect(events.options!.map((option) => (option as { value: string }).value).sort()).toEqual(['*', ...eventTypesOf(system).map((d) => d.type)].sort());
	});

	test('shows a sample event for every type, each one valid for this trigger', () => {
		for (const definition of eventTypesOf(system)) {
			const sample = property(node, `sample_${definition.type.replace(/\./g, '_')}`);
			expect(sample.displayOptions).toEqual({ show: { sampleEventType: [definition.type] } });
			const result = validateEvent(JSON.parse(sample.default as string), { system });
			expect(result.ok).toBe(true);
		}
	});

	test('uses the package credential types, each only for its authentication', () => {
		expect(node.description.credentials).toEqual([
			{ name: 'webhookSecretHeaderApi', required: true, displayOptions: { show: { authentication: ['secretHeader'] } } },
			{ name: 'webhookSigningSecretApi', required: true, displayOptions: { show: { authentication: ['signature'] } } },
			// Only to read the webhook_event_types table, and optional: without it the built-in types still work.
			{ name: 'n8nApi', required: false, displayOptions: { show: { customEventTypes: ['table'] } } },
		]);
		// n8nApi is n8n's own credential type (its public API), not one of the package's.
		for (const credential of node.description.credentials!.filter((candidate) => candidate.name !== 'n8nApi')) {
			const file = `${credential.name.charAt(0).toUpperCase()}${credential.name.slice(1)}.credentials.ts`;
			expect(existsSync(join(root, 'credentials', file))).toBe(true);
		}
	});

	test('is a POST webhook trigger with icons and codex beside it, and is registered in package.json', () => {
		expect(node.description.group).toEqual(['trigger']);
		expect(node.description.inputs).toEqual([]);
		expect(node.description.webhooks).toEqual([expect.objectContaining({ name: 'default', httpMethod: 'POST', path: `${system}-events` })]);
		const icon = node.description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) expect(existsSync(join(root, 'nodes', folder, file.replace('file:', '')))).toBe(true);
		const codex = JSON.parse(readFileSync(join(root, 'nodes', folder, `${folder}.node.json`), 'utf8'));
		expect(codex.node).toBe(`n8n-nodes-webhook-notifications.${node.description.name}`);
		const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(packageJson.n8n.nodes).toContain(`dist/nodes/${folder}/${folder}.node.js`);
	});

	test('survives the JSON round trip n8n uses to send descriptions to the editor', () => {
		expect(JSON.parse(JSON.stringify(node.description)).properties).toHaveLength(node.description.properties.length);
	});
});

test('the catalog node is registered in package.json under its type name', () => {
	const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	expect(packageJson.n8n.nodes).toContain('dist/nodes/WebhookEventCatalog/WebhookEventCatalog.node.js');
	expect(new WebhookEventCatalog().description.name).toBe('webhookEventCatalog');
});

describe.each(triggers)('%s trigger: safe defaults', (_system, node) => {
	test('authentication defaults to the Standard Webhooks signature; Respond to "When Last Node Finishes"', () => {
		expect(property(node, 'authentication').default).toBe('signature');
		expect(property(node, 'respond').default).toBe('afterWorkflow');
		expect((property(node, 'respond').options as Array<{ value: string }>).map((option) => option.value)).toContain('immediately');
	});

	test('"Immediately" shows a notice that it acknowledges before anything is recorded', () => {
		const notice = property(node, 'respondImmediatelyNotice');
		expect(notice.type).toBe('notice');
		expect(notice.displayOptions).toEqual({ show: { respond: ['immediately'] } });
		expect(notice.displayName).toMatch(/before anything is recorded/);
	});
});

describe.each(triggers)('%s trigger: canvas subtitle', (system, node) => {
	/** The subtitle as n8n's editor shows it under the node: evaluated by n8n-workflow's own expression engine. */
	function subtitle(parameters: Record<string, unknown>): unknown {
		const { Workflow } = require('n8n-workflow') as typeof import('n8n-workflow');
		const workflow = new Workflow({
			nodes: [{ id: 'n', name: 'Trigger', type: `x.${node.description.name}`, typeVersion: 1, position: [0, 0], parameters: parameters as never }],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) },
		});
		return workflow.expression.getSimpleParameterValue(workflow.nodes.Trigger, node.description.subtitle as string, 'internal', {});
	}

	test('warns on the canvas when it answers immediately, and only then', () => {
		expect(subtitle({ respond: 'immediately' })).toBe(`All ${system} events · acknowledges before recording`);
		expect(subtitle({})).toBe(`All ${system} events`);
		expect(subtitle({ respond: 'responseNode', events: ['a.b', 'c.d'] })).toBe('a.b, c.d');
	});
});
