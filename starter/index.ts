/**
 * The starter workflows, written as code so that table names, columns and the row mapping have one
 * definition (nodes/shared/storage/tables.ts). `npm run workflows` writes them to workflows/*.json
 * (committed, importable as they are); a unit test fails when the JSON files and this code disagree.
 * One file per workflow; build.ts holds the node builders they share.
 */
import { tables } from '../nodes/shared/storage/tables';
import { activity } from './activity';
import { link, node, type StarterWorkflow } from './build';
import { dispatch } from './dispatch';
import { endpointHealth } from './health';
import { setupNotes } from './notes';
import { operationalEvents } from './operational';
import { resend } from './resend';
import { retention } from './retention';
import { retryDue } from './retry';

export * from './build';
export { TABLE } from '../nodes/shared/storage/tables';
export { ACTIVITY_ROW_CAP } from './activity';

/** Creates the tables (a workflow for people who import by hand rather than run the setup command). */
export function setupTables(): StarterWorkflow {
	const nodes = tables.map((definition, i) =>
		node(
			`Create ${definition.name}`,
			'n8n-nodes-base.dataTable',
			1.1,
			[240 * (i + 1), 0],
			{
				resource: 'table',
				operation: 'create',
				tableName: definition.name,
				columns: { column: definition.columns },
				options: { createIfNotExists: true },
			},
			{ executeOnce: true },
		),
	);
	const all = [node('Run Once', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}), ...nodes];
	return {
		name: 'Webhook Notifications: Setup',
		nodes: [...setupNotes(), ...all],
		connections: Object.fromEntries(all.slice(0, -1).map((n, i) => [n.name, { main: [[link(all[i + 1].name)]] }])),
		settings: { executionOrder: 'v1' },
	};
}

/** File name → workflow. */
export function starterWorkflows(): Record<string, StarterWorkflow> {
	return {
		'setup.json': setupTables(),
		'operational-events.json': operationalEvents(),
		'billing-dispatch.json': dispatch('billing'),
		'shipping-dispatch.json': dispatch('shipping'),
		'retry-due-deliveries.json': retryDue(),
		'endpoint-health.json': endpointHealth(),
		'resend.json': resend(),
		'retention.json': retention(),
		'activity-page.json': activity(),
	};
}
