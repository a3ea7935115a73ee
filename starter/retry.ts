import { TABLE } from '../nodes/shared/storage/tables';
import { condition, continueNode, dataTable, everyRow, highVolume, link, mapColumns, node, rowsOf, SETTING, settingsNode, sticky, to, where, type StarterWorkflow } from './build';
import { settle } from './settle';

/** The tunables of Retry due deliveries, in its Settings node. */
export const RETRY_SETTINGS = {
	/** Due deliveries claimed and sent per run (every 30 s); the rest wait for the next run. */
	batchSize: 200,
};

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
const eventsOf = (name: string, position: [number, number]) =>
	dataTable(name, position, { operation: 'get', ...where(TABLE.events, condition('id', 'eq', '={{ $json.eventRow }}')), limit: 1 });

/**
 * Sending claimed rows in the run that claimed them: their events' bodies (by id) and the endpoints
 * as they are now are read first, so a delivery follows its endpoint (disabled, deleted, moved), then
 * the rows wait in `merge` and go to the Continue node `send`. `entry` is where the claimed rows go.
 */
export function sendClaimed(merge: string, send: string, x: number, y: number, attemptTrigger: 'scheduled' | 'manual') {
	return {
		nodes: [
			eventsOf('Their Events', [x, y + 100]),
			everyRow('Endpoints Now', [x + 120, y + 100], TABLE.endpoints),
			node(merge, 'n8n-nodes-base.merge', 3.2, [x + 240, y], { mode: 'chooseBranch', useDataOfInput: 1 }),
			continueNode(send, [x + 480, y], attemptTrigger, {
				eventRecords: rowsOf('Their Events'),
				currentEndpoints: rowsOf('Endpoints Now'),
			}),
		],
		entry: [link(merge, 0), link('Their Events')],
		connections: {
			'Their Events': to('Endpoints Now'),
			'Endpoints Now': { main: [[link(merge, 1)]] },
			[merge]: to(send),
		},
	};
}

/**
 * Every 30 s: the outbox rows that are due (their next attempt, or a claim that ran out because its
 * run died) are claimed and sent. The outbox holds only deliveries in flight, so this reads a table
 * whose size does not grow with the log.
 */
export function retryDue(): StarterWorkflow {
	const sent = sendClaimed('Claimed Deliveries', 'Send Deliveries', 720, 0, 'scheduled');
	const settled = settle('Send Deliveries', 1440, 0, { health: true });
	return {
		name: 'Webhook Notifications: Retry due deliveries',
		nodes: [
			sticky(
				'About This Workflow',
				[-40, -560],
				[900, 420],
				`## Retry due deliveries
Every 30 seconds: takes the deliveries in the outbox whose next attempt is due (or whose claim ran out because the run that held it died), claims them, sends them with **Send Deliveries**, and settles the outcome: finished ones move to the delivery log, open ones get their next attempt. Deliveries that gave up go to **Endpoint health**.

**You may change:** \`batchSize\` in **Settings**, the interval of **Every 30 Seconds**, and the options of **Send Deliveries** (timeout, attempts per run, retry schedule, private hosts). Add your OAuth2 or secret-header credential on **Send Deliveries** when an endpoint's \`authentication\` needs it.`,
			),
			sticky(
				'Do Not Touch',
				[900, -560],
				[620, 260],
				`### Do not change
**Claim** (a compare-and-set on \`version\`: two runs never send one delivery), the claim filters of **Update Outbox** and **Remove Sent From Outbox** (this run's rows only), and the order of the **Outcome** outputs (open rows are updated before the finished ones are removed).`,
				3,
			),
			node('Every 30 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [-240, 0], { rule: { interval: [{ field: 'seconds', secondsInterval: 30 }] } }),
			settingsNode([0, 0], RETRY_SETTINGS),
			dataTable(
				'Due Deliveries',
				[240, 0],
				{
					operation: 'get',
					...where(TABLE.outbox, condition('dueAt', 'lte', '={{ $now.toISO() }}')),
					limit: `={{ ${SETTING('batchSize')} }}`,
					orderBy: true,
					orderByColumn: 'dueAt',
					orderByDirection: 'ASC',
				},
				{ executeOnce: true },
			),
			// The claim moves dueAt ahead: a claim that dies with its run comes due again.
			claimNode('Claim', [480, 0]),
			...sent.nodes,
			...settled.nodes,
		],
		connections: {
			'Every 30 Seconds': to('Settings'),
			Settings: to('Due Deliveries'),
			'Due Deliveries': to('Claim'),
			Claim: { main: [sent.entry] },
			...sent.connections,
			...settled.connections,
		},
		settings: highVolume,
	};
}
