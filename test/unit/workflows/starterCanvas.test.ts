import { NodeHelpers, type INode, type INodeTypeDescription } from 'n8n-workflow';

import { DeliverWebhook } from '../../../nodes/DeliverWebhook/DeliverWebhook.node';
import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { ShippingEventTrigger } from '../../../nodes/ShippingEventTrigger/ShippingEventTrigger.node';
import { RespondToEventSource } from '../../../nodes/RespondToEventSource/RespondToEventSource.node';
import { PACKAGE, starterWorkflows, type StarterWorkflow, type WorkflowNode } from '../../../starter';

/**
 * What a user meets on the canvas after "Import from File": notes that explain each workflow,
 * nothing required left empty (n8n refuses to publish such a workflow), and logic that lives once.
 */
const generated = starterWorkflows();
const STICKY = 'n8n-nodes-base.stickyNote';
const ours: Record<string, INodeTypeDescription> = Object.fromEntries(
	[new DeliverWebhook(), new BillingEventTrigger(), new ShippingEventTrigger(), new RespondToEventSource()].map((type) => [`${PACKAGE}.${type.description.name}`, type.description]),
);

describe('starter workflows on the canvas', () => {
	it('each has at least one sticky note, and each note says something', () => {
		for (const workflow of Object.values(generated)) {
			const notes = workflow.nodes.filter((node) => node.type === STICKY);
			expect({ workflow: workflow.name, notes: notes.length > 0 }).toEqual({ workflow: workflow.name, notes: true });
			for (const note of notes) expect(String(note.parameters.content).length).toBeGreaterThan(80);
		}
	});

	it('the package\'s nodes have no parameter issue by n8n\'s own check (required parameters set)', () => {
		for (const workflow of Object.values(generated)) {
			for (const node of workflow.nodes.filter((candidate) => ours[candidate.type])) {
				const description = ours[node.type];
				const withDefaults = NodeHelpers.getNodeParameters(description.properties, node.parameters as never, true, false, node as unknown as INode, description);
				const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...(node as unknown as INode), parameters: withDefaults ?? {} }, description);
				expect({ workflow: workflow.name, node: node.name, issues: issues?.parameters ?? {} }).toEqual({ workflow: workflow.name, node: node.name, issues: {} });
			}
		}
	});

	it('no node leaves a resource (a workflow to call, a data table) or a credential empty', () => {
		const empty: string[] = [];
		for (const workflow of Object.values(generated)) {
			for (const node of workflow.nodes) {
				const visit = (value: unknown, path: string) => {
					if (!value || typeof value !== 'object') return;
					const record = value as Record<string, unknown>;
					if (record.__rl === true && (record.value === '' || record.value === undefined)) empty.push(`${workflow.name} / ${node.name} / ${path}`);
					for (const [key, child] of Object.entries(record)) visit(child, `${path}.${key}`);
				};
				visit(node.parameters, 'parameters');
				for (const [type, reference] of Object.entries((node.credentials ?? {}) as Record<string, { name?: string }>)) {
					if (!reference.name) empty.push(`${workflow.name} / ${node.name} / credential ${type}`);
				}
			}
		}
		expect(empty).toEqual([]);
	});

	it('each workflow with tunables has exactly one Settings node, and nothing else is named so', () => {
		for (const workflow of Object.values(generated)) {
			expect(workflow.nodes.filter((node) => node.name === 'Settings').length).toBeLessThanOrEqual(1);
		}
		const withSettings = Object.entries(generated)
			.filter(([, workflow]) => workflow.nodes.some((node) => node.name === 'Settings'))
			.map(([file]) => file)
			.sort();
		expect(withSettings).toEqual(['billing-dispatch.json', 'endpoint-health.json', 'retention.json', 'retry-due-deliveries.json', 'shipping-dispatch.json']);
	});
});

/**
 * Nodes that appear, the same, in more than one workflow on purpose: settling a send runs in the
 * sending run (its claim is that run's execution id, and a call per run would put the hot path at
 * the mercy of a lookup), the reads that feed a send in that run (the events' bodies and the
 * endpoints as they are now, read right before sending), and the three nodes of a call to a
 * sub-workflow. Anything else that is the same chain in two workflows is a copy, and fails.
 */
const SHARED_BY_DESIGN = new Set([
	'Their Events',
	'Endpoints Now',
	'Claimed Deliveries',
	'To Resend',
	'Outcome',
	'Open Rows',
	'Update Outbox',
	'Log Rows',
	'Record Log',
	'Remove Sent From Outbox',
	'Gave Up?',
	'Find Endpoint Health Workflow',
	'To Endpoint Health',
	'Run Endpoint Health',
	'Find Operational Events Workflow',
	'To Operational Events',
	'Run Operational Events',
]);

/** Every path of `length` nodes along the workflow's connections, as its nodes. */
function paths(workflow: StarterWorkflow, length: number): WorkflowNode[][] {
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const next = (name: string) => (workflow.connections[name]?.main ?? []).flat().map((link) => byName.get(link.node)!);
	const grow = (path: WorkflowNode[]): WorkflowNode[][] =>
		path.length === length ? [path] : next(path[path.length - 1].name).flatMap((node) => grow([...path, node]));
	return workflow.nodes.filter((node) => node.type !== STICKY).flatMap((node) => grow([node]));
}
const signature = (chain: WorkflowNode[]) => JSON.stringify(chain.map((node) => [node.type, node.typeVersion, node.parameters]));

describe('logic that lives once', () => {
	// One dispatch per source system: the same steps by design, with their own trigger, keys and source.
	const pairs = (files: string[]) => files.flatMap((a, i) => files.slice(i + 1).map((b) => [a, b])).filter(([a, b]) => !(a.endsWith('-dispatch.json') && b.endsWith('-dispatch.json')));

	it('no two workflows carry the same chain of three nodes, except the steps shared by design', () => {
		const copies: string[] = [];
		for (const [a, b] of pairs(Object.keys(generated))) {
			const inB = new Set(paths(generated[b], 3).map(signature));
			for (const chain of paths(generated[a], 3)) {
				if (inB.has(signature(chain)) && !chain.every((node) => SHARED_BY_DESIGN.has(node.name))) copies.push(`${a} and ${b}: ${chain.map((node) => node.name).join(' → ')}`);
			}
		}
		expect(copies).toEqual([]);
	});

	it('the endpoint-health steps are in one workflow only, which the others call', () => {
		const holders = Object.entries(generated).filter(([, workflow]) => workflow.nodes.some((node) => node.name === 'Disable Endpoint')).map(([file]) => file);
		expect(holders).toEqual(['endpoint-health.json']);
		const callers = Object.entries(generated).filter(([, workflow]) => workflow.nodes.some((node) => node.name === 'Run Endpoint Health')).map(([file]) => file).sort();
		expect(callers).toEqual(['billing-dispatch.json', 'retry-due-deliveries.json', 'shipping-dispatch.json']);
	});

	it('the check finds a copied chain when there is one', () => {
		const health = generated['endpoint-health.json'];
		const copy = { ...generated['retention.json'], nodes: [...generated['retention.json'].nodes, ...health.nodes], connections: { ...generated['retention.json'].connections, ...health.connections } };
		const inCopy = new Set(paths(copy, 3).map(signature));
		expect(paths(health, 3).some((chain) => inCopy.has(signature(chain)) && !chain.every((node) => SHARED_BY_DESIGN.has(node.name)))).toBe(true);
	});
});
