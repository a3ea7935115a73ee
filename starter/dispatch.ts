import { DEDUPE_WINDOW, TABLE } from '../nodes/shared/storage/tables';
import {
	autoMapColumns,
	computeOnce,
	condition,
	credential,
	CREDENTIAL,
	dataTable,
	continueNode,
	deliverNode,
	highVolume,
	isTrue,
	keepFields,
	link,
	node,
	rowsOf,
	PACKAGE,
	SETTING,
	settingsNode,
	table,
	to,
	where,
	type StarterWorkflow,
} from './build';
import { dispatchNotes } from './notes';
import { ourClaim, settle } from './settle';

export const TRIGGER_WEBHOOK_ID = { billing: '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01', shipping: '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02' } as const;
/** What the source is told when the events cannot be recorded (n8n refuses writes once the data-table space is full). */
export const STORAGE_REFUSED_MESSAGE =
	'The events could not be recorded, so they were not accepted: most likely the data-table space of this n8n is full (N8N_DATA_TABLES_MAX_SIZE_BYTES). Post them again later.';

/**
 * The dispatch: a source posts events; they are recorded, and only then acknowledged; then sent.
 *
 * 1. Known Events: each event's `source:id` in the dedupe window (a table pruned to its size).
 * 2. Record Events: one row per new event, the body stored once.
 * 3. Record Outbox: one row per delivery, claimed by this run (bulk, one statement).
 * 4. Record Keys: the events' keys, last, so a key means "recorded with its deliveries". Then
 *    Earlier Keys: when two posts of one event raced past step 1, the later key loses and its
 *    deliveries are not sent (the earlier run sends them).
 * 5. Acknowledge (202), then Send Deliveries, then settle (log in bulk, outbox rows removed).
 *
 * When a write is refused (space full), the source gets 503 with Retry-After and the reason.
 */
export function dispatch(system: 'billing' | 'shipping'): StarterWorkflow {
	const Label = system === 'billing' ? 'Billing' : 'Shipping';
	const triggerName = `${Label} Event Trigger`;
	const lostRaces = "$('Earlier Keys').all().filter(item => item.json.id).map(item => item.json.eventKey)";
	const receipt = `{
  received: $('${triggerName}').all().length,
  accepted: $('Record Keys').all().filter(item => !${lostRaces}.includes(item.json.eventKey)).map(item => item.json.eventKey.slice(${system.length + 1})),
  duplicates: $('${triggerName}').all().map(item => item.json.id).filter(id => !$('Record Keys').all().some(item => item.json.eventKey === '${system}:' + id) || ${lostRaces}.includes('${system}:' + id))
}`;
	// The package's own answer: n8n's Respond to Webhook from version 1.1 accepts only n8n's own triggers.
	const respond = (name: string, position: [number, number], body: string, options: { responseCode: number; responseHeaders?: unknown }) =>
		node(name, `${PACKAGE}.respondToEventSource`, 1, position, { responseCode: options.responseCode, responseBody: `={{ ${body} }}`, ...(options.responseHeaders ? { responseHeaders: options.responseHeaders } : {}) });
	const settled = settle('Send Deliveries', 3360, 0, { health: true });
	// A refused write (the data-table space is full) comes out as an item with an error, not as an
	// error output (n8n's Data Table node handles its own errors): each write is checked by an IF.
	const recording = { onError: 'continueRegularOutput' };
	const recorded = (name: string, position: [number, number], expression: string) =>
		node(name, 'n8n-nodes-base.if', 2.2, position, { conditions: isTrue(expression), options: {} });
	return {
		name: `Webhook Notifications: ${Label} dispatch`,
		nodes: [
			...dispatchNotes(Label),
			settingsNode([240, -420], { dedupeWindow: DEDUPE_WINDOW }),
			node(
				triggerName,
				`${PACKAGE}.${system}EventTrigger`,
				1,
				[0, 0],
				// Lenient: an event with schema issues is delivered and its issues recorded, not refused.
				{ events: ['*'], authentication: 'signature', respond: 'responseNode', validation: 'lenient', customEventTypes: 'table', triggerOptions: {} },
				{ webhookId: TRIGGER_WEBHOOK_ID[system], credentials: { ...credential(CREDENTIAL.sourceSigning), ...credential(CREDENTIAL.n8nApi) } },
			),
			dataTable(
				'Known Events',
				[240, -200],
				{ operation: 'get', ...where(TABLE.eventKeys, condition('eventKey', 'eq', `={{ '${system}:' + $json.id }}`)), limit: 1 },
				{ alwaysOutputData: true },
			),
			dataTable(
				'Active Endpoints',
				[480, -200],
				{ operation: 'get', ...where(TABLE.endpoints, condition('active', 'isTrue')), returnAll: true },
				{ alwaysOutputData: true, executeOnce: true },
			),
			node('Events', 'n8n-nodes-base.merge', 3.2, [720, 0], { mode: 'chooseBranch', useDataOfInput: 1 }),
			deliverNode(
				'Prepare Event Records',
				[960, 0],
				{
					operation: 'record',
					eventSource: 'envelope',
					source: system,
					skipEventIds: "={{ $('Known Events').all().map(item => item.json.eventKey).filter(Boolean) }}",
				},
				{ alwaysOutputData: true },
			),
			node('Anything New?', 'n8n-nodes-base.if', 2.2, [1200, 0], { conditions: isTrue('!!$json.eventKey'), options: {} }),
			// Not bulk: the rows come back with their ids, which the outbox rows refer to.
			dataTable('Record Events', [1440, -100], { operation: 'insert', dataTableId: table(TABLE.events), columns: autoMapColumns, options: {} }, recording),
			recorded('Events Recorded?', [1560, -100], '!!$json.id && !$json.error'),
			deliverNode(
				'Plan Deliveries',
				[1680, -100],
				{ operation: 'plan', endpointSource: 'list', endpoints: rowsOf('Active Endpoints') },
				{ alwaysOutputData: true },
			),
			node('Anything to Send?', 'n8n-nodes-base.if', 2.2, [1920, -100], { conditions: isTrue('!!$json.deliveryId'), options: {} }),
			keepFields('Outbox Rows', [2040, -200], { except: ['payload'] }),
			dataTable('Record Outbox', [2160, -200], { operation: 'insert', dataTableId: table(TABLE.outbox), columns: autoMapColumns, options: { optimizeBulk: true } }, recording),
			recorded('Outbox Recorded?', [2280, -200], '$json.success === true'),
			computeOnce('Key Rows', [2400, -100], {
				keys: { value: "={{ $('Record Events').all().map(item => ({ eventKey: item.json.eventKey, eventRow: item.json.id })) }}", type: 'array' },
			}),
			node('One Key per Item', 'n8n-nodes-base.splitOut', 1, [2520, -100], { fieldToSplitOut: 'keys', include: 'noOtherFields', options: {} }),
			dataTable('Record Keys', [2640, -100], { operation: 'insert', dataTableId: table(TABLE.eventKeys), columns: autoMapColumns, options: {} }, recording),
			recorded('Keys Recorded?', [2700, -100], '!!$json.id && !$json.error'),
			dataTable(
				'Earlier Keys',
				[2760, -100],
				{ operation: 'get', ...where(TABLE.eventKeys, condition('eventKey', 'eq', '={{ $json.eventKey }}'), condition('id', 'lt', '={{ $json.id }}')), limit: 1 },
				{ alwaysOutputData: true },
			),
			respond('Acknowledge', [2880, -100], receipt, { responseCode: 202 }),
			// The dedupe window: keys older than the newest DEDUPE_WINDOW are removed (an id range).
			dataTable(
				'Prune Keys',
				[3000, -300],
				{ operation: 'deleteRows', ...where(TABLE.eventKeys, condition('id', 'lt', `={{ $('Record Keys').first().json.id - ${SETTING('dedupeWindow')} }}`)), options: {} },
				{ executeOnce: true, alwaysOutputData: true },
			),
			respond(
				'Acknowledge (Nothing New)',
				[1440, 200],
				`{ received: $('${triggerName}').all().length, accepted: [], duplicates: $('${triggerName}').all().map(item => item.json.id) }`,
				{ responseCode: 202 },
			),
			respond('Storage Refused', [2640, 200], `{ message: ${JSON.stringify(STORAGE_REFUSED_MESSAGE)}, detail: String($json.error ?? '').slice(0, 300) }`, {
				responseCode: 503,
				responseHeaders: { entries: [{ name: 'retry-after', value: '60' }] },
			}),
			// A refused request leaves nothing in flight: the source was told 503 and posts again, so the
			// outbox rows this run recorded before a later write was refused are withdrawn (n8n still
			// deletes when the space is full). Otherwise they would wait for space and go out twice.
			dataTable('Withdraw Outbox', [2880, 200], { operation: 'deleteRows', ...where(TABLE.outbox, ourClaim), options: {} }, { executeOnce: true, alwaysOutputData: true }),
			// Waits for the acknowledgement, then passes on the planned deliveries: sent only once recorded.
			node('Deliveries to Send', 'n8n-nodes-base.merge', 3.2, [3000, -100], { mode: 'chooseBranch', useDataOfInput: 1 }),
			continueNode('Send Deliveries', [3120, -100], 'scheduled', {
				currentEndpoints: rowsOf('Active Endpoints'),
				skipEventRows: `={{ $('Record Keys').all().filter(item => ${lostRaces}.includes(item.json.eventKey)).map(item => item.json.eventRow) }}`,
			}),
			...settled.nodes,
		],
		connections: {
			[triggerName]: { main: [[link('Settings'), link('Known Events'), link('Events', 0)]] },
			'Known Events': to('Active Endpoints'),
			'Active Endpoints': { main: [[link('Events', 1)]] },
			Events: to('Prepare Event Records'),
			'Prepare Event Records': to('Anything New?'),
			// The record operation's items have exactly the events table's columns.
			'Anything New?': { main: [[link('Record Events')], [link('Acknowledge (Nothing New)')]] },
			'Record Events': to('Events Recorded?'),
			'Events Recorded?': { main: [[link('Plan Deliveries')], [link('Storage Refused')]] },
			'Plan Deliveries': to('Anything to Send?'),
			'Anything to Send?': { main: [[link('Outbox Rows'), link('Deliveries to Send', 0)], [link('Key Rows')]] },
			'Outbox Rows': to('Record Outbox'),
			'Record Outbox': to('Outbox Recorded?'),
			'Outbox Recorded?': { main: [[link('Key Rows')], [link('Storage Refused')]] },
			'Key Rows': to('One Key per Item'),
			'One Key per Item': to('Record Keys'),
			'Record Keys': to('Keys Recorded?'),
			'Keys Recorded?': { main: [[link('Earlier Keys')], [link('Storage Refused')]] },
			'Storage Refused': to('Withdraw Outbox'),
			'Earlier Keys': to('Acknowledge'),
			Acknowledge: { main: [[link('Prune Keys'), link('Deliveries to Send', 1)]] },
			'Deliveries to Send': to('Send Deliveries'),
			...settled.connections,
		},
		settings: highVolume,
	};
}
