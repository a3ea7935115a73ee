import { columnNames, DELIVERY_COLUMNS, TABLE } from '../nodes/shared/storage/tables';
import { READ_RESEND } from './activityCode';
import {
	adminRequests,
	autoMapColumns,
	code,
	condition,
	credential,
	CREDENTIAL,
	dataTable,
	isTrue,
	keepFields,
	link,
	node,
	RESEND_PATH,
	switchOn,
	table,
	to,
	where,
	type StarterWorkflow,
} from './build';
import { resendNotes } from './notes';
import { claimNode, sendClaimed } from './retry';
import { OPEN_ROW_COLUMNS } from './settle';

export const RESEND_WEBHOOK_ID = '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a03';

/**
 * Resend on request (behind the admin header): one delivery by its id, or the finished deliveries of
 * the log that match a filter (at most 1,000). A delivery still in the outbox is claimed first, so a
 * resend never races the retry schedule; one being sent right now is answered 409.
 *
 * Each resend is a manual attempt: the log row (or outbox row) records it, and a failure leaves the
 * delivery's status and schedule as they were.
 */
export function resend(): StarterWorkflow {
	const request = "$('Read Resend').first().json";
	const summary = `={{ {
  matched: $('Resend').all().length,
  sent: $('Resend').all().filter(item => item.json.status === 'sent' && item.json.lastAttemptAt && item.json.responseCode >= 200 && item.json.responseCode < 300).length,
  failed: $('Resend').all().filter(item => !(item.json.responseCode >= 200 && item.json.responseCode < 300)).length,
  deliveries: $('Resend').all().map(item => ({ deliveryId: item.json.deliveryId, status: item.json.status, responseCode: item.json.responseCode, attempts: item.json.attempts, error: item.json.error }))
} }}`;
	const respond = (name: string, position: [number, number], body: string, responseCode: string | number) =>
		node(name, 'n8n-nodes-base.respondToWebhook', 1.5, position, { respondWith: 'json', responseBody: body, options: { responseCode } });
	const sent = sendClaimed('To Resend', 'Resend', 1920, 0, 'manual');
	return {
		name: 'Webhook Notifications: Resend',
		nodes: [
			...resendNotes(),
			node(
				'Resend Request',
				'n8n-nodes-base.webhook',
				2.1,
				[0, 0],
				{ httpMethod: 'POST', path: RESEND_PATH, authentication: 'headerAuth', responseMode: 'responseNode', options: {} },
				{ webhookId: RESEND_WEBHOOK_ID, credentials: credential(CREDENTIAL.admin) },
			),
			code('Read Resend', [240, 0], `${READ_RESEND}\nreturn [{ json: readResend($input.first().json.body) }];`),
			node('Valid?', 'n8n-nodes-base.if', 2.2, [480, 0], { conditions: isTrue('$json.ok === true'), options: {} }),
			respond('Bad Request', [720, 300], '={{ { error: $json.error } }}', '={{ $json.status }}'),
			dataTable(
				'In Outbox',
				[720, 0],
				{ operation: 'get', ...where(TABLE.outbox, condition('deliveryId', 'eq', "={{ $json.deliveryId || '-' }}")), limit: 1 },
				{ alwaysOutputData: true },
			),
			node('Open?', 'n8n-nodes-base.if', 2.2, [960, 0], { conditions: isTrue('!!$json.id'), options: {} }),
			// Only a row nobody holds: a claimed one is being sent by the dispatch or the retry schedule.
			claimNode('Claim for Resend', [1200, -200], [condition('claim', 'isEmpty')], { alwaysOutputData: true }),
			node('Claimed?', 'n8n-nodes-base.if', 2.2, [1440, -200], { conditions: isTrue('!!$json.id'), options: {} }),
			respond('Busy', [1680, -400], "={{ { error: 'The delivery is being sent right now; try again in a minute' } }}", 409),
			// The log narrows (ids, status, type and endpoint as "contains", dates); the filter then matches exactly.
			dataTable(
				'Find Deliveries',
				[1200, 200],
				{
					operation: 'get',
					...where(
						TABLE.deliveries,
						condition('deliveryId', 'like', `={{ ${request}.narrow.deliveryId }}`),
						condition('status', 'like', `={{ ${request}.narrow.status }}`),
						condition('eventType', 'like', `={{ ${request}.narrow.eventType }}`),
						condition('endpointName', 'like', `={{ ${request}.narrow.endpointName }}`),
						condition('createdAt', 'gte', `={{ ${request}.filter.from || '1970-01-01T00:00:00.000Z' }}`),
						condition('createdAt', 'lte', `={{ ${request}.filter.to || $now.plus(1, 'day').toISO() }}`),
					),
					limit: `={{ ${request}.limit }}`,
					orderBy: true,
					orderByColumn: 'id',
					orderByDirection: 'DESC',
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			node(
				'Match Filter',
				'n8n-nodes-base.filter',
				2.2,
				[1440, 200],
				{
					conditions: isTrue(
						`!!$json.deliveryId && ['deliveryId', 'status', 'eventType', 'endpointName', 'resourceId', 'endpointId'].every(key => !${request}.filter[key] || $json[key] === ${request}.filter[key])`,
					),
					options: {},
				},
				{ alwaysOutputData: true },
			),
			node('Anything to Resend?', 'n8n-nodes-base.if', 2.2, [1680, 200], { conditions: isTrue('!!$json.deliveryId'), options: {} }),
			respond('Nothing Matched', [1920, 400], '={{ { matched: 0, sent: 0, failed: 0, deliveries: [] } }}', `={{ ${request}.deliveryId ? 404 : 200 }}`),
			...sent.nodes,
			// Upper branches run first: an open row is updated, a finished outbox row moves to the log,
			// and a log row gets the attempt.
			switchOn('Outcome', [2640, 0], [
				{ output: 'still open', when: '$json.finished === false' },
				{ output: 'left the outbox', when: '$json.claim === $execution.id' },
				{ output: 'log row', when: 'true' },
			]),
			keepFields('Open Rows', [2880, -300], { only: OPEN_ROW_COLUMNS }),
			dataTable('Update Outbox', [3120, -300], {
				operation: 'update',
				...where(TABLE.outbox, condition('claim', 'eq', '={{ $execution.id }}'), condition('deliveryId', 'eq', '={{ $json.deliveryId }}')),
				columns: autoMapColumns,
				options: {},
			}),
			keepFields('Log Rows', [2880, -100], { only: columnNames(DELIVERY_COLUMNS) }),
			dataTable('Record Log', [3120, -100], { operation: 'insert', dataTableId: table(TABLE.deliveries), columns: autoMapColumns, options: { optimizeBulk: true } }),
			dataTable(
				'Remove Sent From Outbox',
				[3360, -100],
				{ operation: 'deleteRows', ...where(TABLE.outbox, condition('claim', 'eq', '={{ $execution.id }}')), options: {} },
				{ executeOnce: true, alwaysOutputData: true },
			),
			keepFields('Attempt on Log Row', [2880, 100], { only: columnNames(DELIVERY_COLUMNS) }),
			dataTable('Update Log Row', [3120, 100], {
				operation: 'update',
				...where(TABLE.deliveries, condition('id', 'eq', "={{ $('Resend').item.json.id }}")),
				columns: autoMapColumns,
				options: {},
			}),
			node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, [3600, 0], { respondWith: 'json', responseBody: summary, options: {} }, { executeOnce: true }),
		],
		connections: {
			'Resend Request': to('Read Resend'),
			'Read Resend': to('Valid?'),
			'Valid?': { main: [[link('In Outbox')], [link('Bad Request')]] },
			'In Outbox': to('Open?'),
			'Open?': { main: [[link('Claim for Resend')], [link('Find Deliveries')]] },
			'Claim for Resend': to('Claimed?'),
			'Claimed?': { main: [sent.entry, [link('Busy')]] },
			'Find Deliveries': to('Match Filter'),
			'Match Filter': to('Anything to Resend?'),
			'Anything to Resend?': { main: [sent.entry, [link('Nothing Matched')]] },
			...sent.connections,
			Resend: to('Outcome'),
			Outcome: { main: [[link('Open Rows')], [link('Log Rows')], [link('Attempt on Log Row')]] },
			'Open Rows': to('Update Outbox'),
			'Update Outbox': to('Respond'),
			'Log Rows': to('Record Log'),
			'Record Log': to('Remove Sent From Outbox'),
			'Remove Sent From Outbox': to('Respond'),
			'Attempt on Log Row': to('Update Log Row'),
			'Update Log Row': to('Respond'),
		},
		settings: adminRequests,
	};
}
