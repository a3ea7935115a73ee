import { columnNames, DELIVERY_COLUMNS, TABLE } from '../nodes/shared/storage/tables';
import { announce, autoMapColumns, condition, dataTable, isTrue, keepFields, link, mapColumns, node, switchOn, table, to, where, type Chain } from './build';

/** What an attempt changes on an outbox row that stays open (retrying, or a manual attempt's failure). */
export const OPEN_ROW_COLUMNS = [
	'deliveryId',
	'status',
	'attempts',
	'retryRound',
	'firstAttemptAt',
	'lastAttemptAt',
	'responseCode',
	'error',
	'attemptLog',
	'nextAttemptAt',
	'dueAt',
	'claim',
];

/** A delivery that gave up this many times within 24 h (the schedule spent) disables its endpoint; a 410 does at once. */
export const ENDPOINT_FAILURE_THRESHOLD = 1;

const ourClaim = condition('claim', 'eq', '={{ $execution.id }}');

/**
 * After the send step (a Continue Deliveries node named `sendName`): each delivery goes where its
 * outcome says. Still open: its outbox row is updated (and unclaimed). Finished: a row is appended to
 * the delivery log in one bulk insert, then this run's claimed outbox rows are removed in one
 * statement. The open branch sits above the log branch: n8n runs the upper branch first, so the
 * removal never takes a row that stays open.
 *
 * When the log cannot be written (the data-table space is full), the rows are still removed: the
 * deliveries were made, and keeping them would send them again and again.
 */
export function settle(sendName: string, x: number, y: number, options: { health: boolean }): Chain {
	const nodes = [
		switchOn('Outcome', [x, y], [
			{ output: 'open', when: '$json.finished === false' },
			{ output: 'finished', when: "$json.status === 'sent' || $json.status === 'failed'" },
			{ output: 'not sent', when: "$json.status === 'skipped'" },
		]),
		keepFields('Open Rows', [x + 240, y - 200], { only: OPEN_ROW_COLUMNS }),
		dataTable(
			'Update Outbox',
			[x + 480, y - 200],
			{ operation: 'update', ...where(TABLE.outbox, ourClaim, condition('deliveryId', 'eq', '={{ $json.deliveryId }}')), columns: autoMapColumns, options: {} },
			// A refused write (space full) leaves the row claimed: it comes due again when the claim ends.
			{ onError: 'continueRegularOutput' },
		),
		keepFields('Log Rows', [x + 240, y], { only: columnNames(DELIVERY_COLUMNS) }),
		// Bulk: one statement for all rows, and only a count back.
		dataTable(
			'Record Log',
			[x + 480, y],
			{ operation: 'insert', dataTableId: table(TABLE.deliveries), columns: autoMapColumns, options: { optimizeBulk: true } },
			{ onError: 'continueRegularOutput' },
		),
		dataTable(
			'Remove Sent From Outbox',
			[x + 720, y],
			{ operation: 'deleteRows', ...where(TABLE.outbox, ourClaim), options: {} },
			{ executeOnce: true, alwaysOutputData: true },
		),
	];
	const connections: Chain['connections'] = {
		[sendName]: to('Outcome'),
		Outcome: { main: [[link('Open Rows')], [link('Log Rows'), ...(options.health ? [link('Gave Up?')] : [])], [link('Remove Sent From Outbox')]] },
		'Open Rows': to('Update Outbox'),
		'Log Rows': to('Record Log'),
		'Record Log': to('Remove Sent From Outbox'),
	};
	if (options.health) {
		const health = endpointHealth(x + 240, y + 220);
		nodes.push(...health.nodes);
		Object.assign(connections, health.connections);
	}
	return { nodes, connections };
}

/**
 * Endpoint health: a delivery that gave up (the durable schedule spent, or 410 Gone) counts against
 * its endpoint, on the endpoint's own row (failures within 24 h of the last one). At the threshold,
 * or at once on 410, the endpoint is set inactive with a reason and time, and an `endpoint.disabled`
 * event goes to the Operational events workflow. Runs only on failures, by row id: the happy path
 * and the log's size cost it nothing.
 */
function endpointHealth(x: number, y: number): Chain {
	const gaveUp = "$('Gave Up?').item.json";
	const nodes = [
		node('Gave Up?', 'n8n-nodes-base.filter', 2.2, [x, y], {
			conditions: isTrue("$json.status === 'failed' && !!$json.endpointId && ($json.endpointGone === true || $json.retryRound > 0)"),
			options: {},
		}),
		dataTable('Endpoint Now', [x + 240, y], { operation: 'get', ...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.endpointId }}')), limit: 1 }),
		dataTable('Count Failure', [x + 480, y], {
			operation: 'update',
			...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')),
			columns: mapColumns({
				failures: "={{ $json.lastFailureAt && $json.lastFailureAt >= $now.minus(24, 'hours').toISO() ? ($json.failures || 0) + 1 : 1 }}",
				lastFailureAt: '={{ $now.toISO() }}',
			}),
			options: {},
		}),
		node('Over Threshold?', 'n8n-nodes-base.filter', 2.2, [x + 720, y], {
			conditions: isTrue(`$json.active === true && (${gaveUp}.endpointGone === true || $json.failures >= ${ENDPOINT_FAILURE_THRESHOLD})`),
			options: {},
		}),
		// Only a row still active matches, so an endpoint is disabled (and announced) once.
		dataTable('Disable Endpoint', [x + 960, y], {
			operation: 'update',
			...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}'), condition('active', 'isTrue')),
			columns: mapColumns({
				active: '={{ false }}',
				disabledReason: `={{ ${gaveUp}.endpointGone ? 'The endpoint answered 410 Gone' : $json.failures + ' delivery(ies) failed after every retry within 24 h; last error: ' + ${gaveUp}.error }}`,
				disabledAt: '={{ $now.toISO() }}',
			}),
			options: {},
		}),
		node('endpoint.disabled Event', 'n8n-nodes-base.set', 3.4, [x + 1200, y], {
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
		announce('Announce', [x + 1440, y]),
	];
	return {
		nodes,
		connections: {
			'Gave Up?': to('Endpoint Now'),
			'Endpoint Now': to('Count Failure'),
			'Count Failure': to('Over Threshold?'),
			'Over Threshold?': to('Disable Endpoint'),
			'Disable Endpoint': to('endpoint.disabled Event'),
			'endpoint.disabled Event': to('Announce'),
		},
	};
}
