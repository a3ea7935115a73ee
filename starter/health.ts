import { TABLE } from '../nodes/shared/storage/tables';
import {
	callWorkflow,
	condition,
	dataTable,
	ENDPOINT_HEALTH_WORKFLOW,
	highVolume,
	into,
	isTrue,
	link,
	mapColumns,
	node,
	OPERATIONAL_EVENTS_WORKFLOW,
	SETTING,
	settingsNode,
	sticky,
	to,
	where,
	type StarterWorkflow,
} from './build';

/** The tunables of Endpoint health, in its Settings node. */
export const HEALTH_SETTINGS = {
	/** Deliveries that gave up (the retry schedule spent) within the window before the endpoint is disabled; a 410 disables at once. */
	failuresBeforeDisable: 1,
	/** Failures further apart than this start the count again. */
	failureWindowHours: 24,
};

/**
 * Endpoint health, called by the dispatch and retry workflows with the deliveries that gave up (the
 * durable schedule spent, or 410 Gone). Each counts against its endpoint, on the endpoint's own row
 * (failures within the window of the last one). At the threshold, or at once on 410, the endpoint is
 * set inactive with a reason and time, and an `endpoint.disabled` event goes to the Operational
 * events workflow. Reads by row id only: the log's size costs it nothing.
 */
export function endpointHealth(): StarterWorkflow {
	const gaveUp = "$('Deliveries That Gave Up').item.json";
	const announce = callWorkflow('Operational Events', [1680, 0], OPERATIONAL_EVENTS_WORKFLOW);
	return {
		name: ENDPOINT_HEALTH_WORKFLOW,
		nodes: [
			sticky(
				'About This Workflow',
				[-40, -460],
				[760, 360],
				`## Endpoint health
Called by the **Billing dispatch**, **Shipping dispatch** and **Retry due deliveries** workflows with each delivery that **gave up** (every retry spent, or the endpoint answered 410 Gone).

1. Counts the failure on the endpoint's row (\`failures\`, \`lastFailureAt\`).
2. At the threshold, or at once on 410, sets the endpoint inactive (\`disabledReason\`, \`disabledAt\`).
3. Sends an \`endpoint.disabled\` event to **Operational events**.

**You may change:** the numbers in **Settings**. **Keep it published**: the callers find it by its name, so keep the name too.`,
			),
			sticky(
				'Do Not Touch',
				[760, -460],
				[520, 220],
				`### Do not change
The table filters (they match one endpoint by its row id) and the **Disable Endpoint** filter on \`active\` (it makes sure an endpoint is disabled and announced only once).`,
				3,
			),
			node('Deliveries That Gave Up', 'n8n-nodes-base.executeWorkflowTrigger', 1.1, [0, 0], { inputSource: 'passthrough' }),
			settingsNode([240, -160], HEALTH_SETTINGS),
			dataTable('Endpoint Now', [240, 0], { operation: 'get', ...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.endpointId }}')), limit: 1 }),
			dataTable('Count Failure', [480, 0], {
				operation: 'update',
				...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')),
				columns: mapColumns({
					failures: `={{ $json.lastFailureAt && $json.lastFailureAt >= $now.minus(${SETTING('failureWindowHours')}, 'hours').toISO() ? ($json.failures || 0) + 1 : 1 }}`,
					lastFailureAt: '={{ $now.toISO() }}',
				}),
				options: {},
			}),
			node('Over Threshold?', 'n8n-nodes-base.filter', 2.2, [720, 0], {
				conditions: isTrue(`$json.active === true && (${gaveUp}.endpointGone === true || $json.failures >= ${SETTING('failuresBeforeDisable')})`),
				options: {},
			}),
			// Only a row still active matches, so an endpoint is disabled (and announced) once.
			dataTable('Disable Endpoint', [960, 0], {
				operation: 'update',
				...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}'), condition('active', 'isTrue')),
				columns: mapColumns({
					active: '={{ false }}',
					disabledReason: `={{ ${gaveUp}.endpointGone ? 'The endpoint answered 410 Gone' : $json.failures + ' delivery(ies) failed after every retry within ' + ${SETTING('failureWindowHours')} + ' h; last error: ' + ${gaveUp}.error }}`,
					disabledAt: '={{ $now.toISO() }}',
				}),
				options: {},
			}),
			node('endpoint.disabled Event', 'n8n-nodes-base.set', 3.4, [1200, 0], {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({
  id: 'evt_' + $execution.id + '_' + $json.id + '_' + Date.now(),
  type: 'endpoint.disabled',
  timestamp: $now.toISO(),
  resourceId: String($json.id),
  data: { endpoint: { id: $json.id, name: $json.name, url: $json.url }, reason: $json.disabledReason, disabledAt: $json.disabledAt }
}) }}`,
				options: {},
			}),
			...announce.nodes,
		],
		connections: {
			'Deliveries That Gave Up': { main: [[link('Settings'), link('Endpoint Now')]] },
			'Endpoint Now': to('Count Failure'),
			'Count Failure': to('Over Threshold?'),
			'Over Threshold?': to('Disable Endpoint'),
			'Disable Endpoint': to('endpoint.disabled Event'),
			'endpoint.disabled Event': { main: [into('Operational Events')] },
			...announce.connections,
		},
		settings: highVolume,
	};
}
