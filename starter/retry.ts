import { TABLE } from '../nodes/shared/storage/tables';
import { condition, continueNode, CURRENT_ENDPOINTS, dataTable, highVolume, link, mapColumns, node, to, where, type StarterWorkflow } from './build';
import { everyRow } from './build';
import { settle } from './settle';

/** How long a claim lasts: longer than a run's attempts of a delivery (time budget 60 s + timeout 15 s). */
export const CLAIM_SECONDS = 120;

/** A compare-and-set claim on outbox rows: of two runs that read the same version, only one updates it. */
export function claimNode(name: string, position: [number, number], extra: Array<ReturnType<typeof condition>> = [], settings: Record<string, unknown> = {}) {
	return dataTable(
		name,
		position,
		{
			operation: 'update',
			...where(TABLE.outbox, condition('id', 'eq', '={{ $json.id }}'), condition('version', 'eq', '={{ $json.version ?? 0 }}'), ...extra),
			columns: mapColumns({
				version: '={{ ($json.version ?? 0) + 1 }}',
				dueAt: `={{ $now.plus(${CLAIM_SECONDS}, 'seconds').toISO() }}`,
				claim: '={{ $execution.id }}',
			}),
			options: {},
		},
		settings,
	);
}

/** The events of the input deliveries, by id: where their bodies are. */
export const eventsOf = (name: string, position: [number, number]) =>
	dataTable(name, position, { operation: 'get', ...where(TABLE.events, condition('id', 'eq', '={{ $json.eventRow }}')), limit: 1 });

/**
 * Every 30 s: the outbox rows that are due (their next attempt, or a claim that ran out because its
 * run died) are claimed and sent. The outbox holds only deliveries in flight, so this reads a table
 * whose size does not grow with the log.
 */
export function retryDue(): StarterWorkflow {
	const settled = settle('Send Deliveries', 1440, 0, { health: true });
	return {
		name: 'Webhook Notifications: Retry due deliveries',
		nodes: [
			node('Every 30 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], { rule: { interval: [{ field: 'seconds', secondsInterval: 30 }] } }),
			dataTable(
				'Due Deliveries',
				[240, 0],
				{
					operation: 'get',
					...where(TABLE.outbox, condition('dueAt', 'lte', '={{ $now.toISO() }}')),
					limit: 200,
					orderBy: true,
					orderByColumn: 'dueAt',
					orderByDirection: 'ASC',
				},
				{ executeOnce: true },
			),
			// The claim moves dueAt ahead: a claim that dies with its run comes due again.
			claimNode('Claim', [480, 0]),
			eventsOf('Their Events', [720, 100]),
			// Read when sending, so a delivery follows its endpoint as it is now (disabled, deleted, moved).
			everyRow('Endpoints Now', [840, 100], TABLE.endpoints),
			node('Claimed Deliveries', 'n8n-nodes-base.merge', 3.2, [960, 0], { mode: 'chooseBranch', useDataOfInput: 1 }),
			continueNode('Send Deliveries', [1200, 0], 'scheduled', {
				eventRecords: "={{ $('Their Events').all().map(item => item.json) }}",
				currentEndpoints: CURRENT_ENDPOINTS('Endpoints Now'),
			}),
			...settled.nodes,
		],
		connections: {
			'Every 30 Seconds': to('Due Deliveries'),
			'Due Deliveries': to('Claim'),
			Claim: { main: [[link('Claimed Deliveries', 0), link('Their Events')]] },
			'Their Events': to('Endpoints Now'),
			'Endpoints Now': { main: [[link('Claimed Deliveries', 1)]] },
			'Claimed Deliveries': to('Send Deliveries'),
			...settled.connections,
		},
		settings: highVolume,
	};
}
