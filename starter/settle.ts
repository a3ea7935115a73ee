import { columnNames, DELIVERY_COLUMNS, TABLE } from '../nodes/shared/storage/tables';
import { autoMapColumns, callWorkflow, condition, dataTable, ENDPOINT_HEALTH_WORKFLOW, into, isTrue, keepFields, link, node, switchOn, table, to, where, type Chain } from './build';

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

/** The outbox rows this run claimed (its execution id). */
export const ourClaim = condition('claim', 'eq', '={{ $execution.id }}');

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
		// Only deliveries that gave up go on: the happy path costs one filter.
		nodes.push(
			node('Gave Up?', 'n8n-nodes-base.filter', 2.2, [x + 240, y + 220], {
				conditions: isTrue("$json.status === 'failed' && !!$json.endpointId && ($json.endpointGone === true || $json.retryRound > 0)"),
				options: {},
			}),
		);
		const health = callWorkflow('Endpoint Health', [x + 480, y + 220], ENDPOINT_HEALTH_WORKFLOW);
		nodes.push(...health.nodes);
		Object.assign(connections, health.connections, { 'Gave Up?': { main: [into('Endpoint Health')] } });
	}
	return { nodes, connections };
}

