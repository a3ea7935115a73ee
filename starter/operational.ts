import { link, node, OPERATIONAL_EVENTS_WORKFLOW, type StarterWorkflow } from './build';
import { operationalNotes } from './notes';

/**
 * Where the package's own events land: `endpoint.disabled` (endpoint health) and `storage.warning`
 * (Retention, when the data-table space runs low). Connect mail or chat nodes after "Route It"; the
 * Switch in front of it tells them apart if they should go to different places.
 */
export function operationalEvents(): StarterWorkflow {
	return {
		name: OPERATIONAL_EVENTS_WORKFLOW,
		nodes: [
			...operationalNotes(),
			node('Operational Event', 'n8n-nodes-base.executeWorkflowTrigger', 1.1, [0, 0], { inputSource: 'passthrough' }),
			node('Route It (Mail, Chat)', 'n8n-nodes-base.noOp', 1, [240, 0], {}),
		],
		connections: { 'Operational Event': { main: [[link('Route It (Mail, Chat)')]] } },
		settings: { executionOrder: 'v1' },
	};
}
