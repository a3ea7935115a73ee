import { TABLE } from '../nodes/shared/storage/tables';
import { ACTIVITY_WINDOW, ENDPOINT_ACTIVITY, TEST_EVENT, TEST_LOG_ROW } from './activityHealth';
import { answer, autoMapColumns, code, condition, dataTable, deliverNowNode, everyRow, isTrue, keepFields, link, node, PACKAGE, table, to, where, type Connections, type WorkflowNode } from './build';

/** The activity chart reads at most this many log rows of the last 7 days (newest first); it says from when it counted. */
export const ACTIVITY_LOG_CAP = 20_000;
/** The log columns the chart and endpoint health read. */
const CHART_FIELDS = ['id', 'createdAt', 'status', 'responseCode', 'endpointId', 'endpointName', 'lastAttemptAt', 'test'];

const request = "$('Read Request').first().json";
const at = (origin: [number, number], dx: number, dy = 0): [number, number] => [origin[0] + dx, origin[1] + dy];

/** One branch of the activity API: its nodes (placed from an origin), its first node, the nodes that answer, and its inner connections. */
interface Branch {
	first: string;
	last: string[];
	nodes: (origin: [number, number]) => WorkflowNode[];
	connections: Connections;
}

/** Log rows from an id on, logged since a time, by id in one direction. */
function windowRead(name: string, position: [number, number], fromId: string, since: string, limit: number, direction: 'ASC' | 'DESC') {
	const range = where(TABLE.deliveries, condition('id', 'gte', fromId), condition('createdAt', 'gte', since));
	return dataTable(name, position, { operation: 'get', ...range, limit, orderBy: true, orderByColumn: 'id', orderByDirection: direction }, { alwaysOutputData: true, executeOnce: true });
}

/**
 * activity: deliveries per hour by status over 24 hours and 7 days, overall and per endpoint. The
 * log is read by an id range: "Window Start" finds the first row of the last 7 days from where the
 * last call found it (the hint in the workflow's static data), so neither query reads the older log.
 */
export const activityBranch: Branch = {
	first: 'Activity Window',
	last: ['Activity'],
	nodes: (origin) => [
		code('Activity Window', origin, `${ACTIVITY_WINDOW}\nreturn [{ json: activityWindow($getWorkflowStaticData('global'), new Date()) }];`),
		// The window's first row, from the hint on: the count n8n runs with every read walks the id range only.
		windowRead('Window Start', at(origin, 240), '={{ $json.fromId }}', '={{ $json.since }}', 1, 'ASC'),
		// No row in the window: an id past any table's, so nothing is read.
		windowRead('Last Week', at(origin, 480), '={{ $json.id || Number.MAX_SAFE_INTEGER }}', "={{ $('Activity Window').first().json.since }}", ACTIVITY_LOG_CAP, 'DESC'),
		// Only what the chart counts goes on to the Code node (its runner gets a copy of every item it reads).
		keepFields('Chart Fields', at(origin, 600, -60), { only: CHART_FIELDS }),
		everyRow('Open For Activity', at(origin, 720, 60), TABLE.outbox),
		code(
			'Activity',
			at(origin, 840),
			[
				ENDPOINT_ACTIVITY,
				"const rows = $('Chart Fields').all().map((item) => item.json).filter((row) => row.id);",
				"const open = $('Open For Activity').all().map((item) => item.json);",
				// The next call starts where this one found the window: rows before it are older still.
				"const start = $('Window Start').first().json.id;",
				"if (start) $getWorkflowStaticData('global').activityFromId = start;",
				`const capped = rows.length >= ${ACTIVITY_LOG_CAP};`,
				answer('200', `{ ...endpointActivity(rows, open, new Date()), capped, countedFrom: capped ? rows[rows.length - 1].createdAt : $('Activity Window').first().json.since }`),
			].join('\n'),
		),
	],
	connections: {
		'Activity Window': to('Window Start'),
		'Window Start': to('Last Week'),
		'Last Week': to('Chart Fields'),
		'Chart Fields': to('Open For Activity'),
		'Open For Activity': to('Activity'),
	},
};

/**
 * test: the catalog's sample of one event type, sent now to one endpoint by the Deliver Webhook
 * node (the same signing, authentication and address policy as every delivery), once and without
 * retries. The event and a log row marked `test` are recorded, so the details view shows it.
 */
export const testBranch: Branch = {
	first: 'Test Endpoint',
	last: ['Test Result', 'Test Refused'],
	nodes: (origin) => [
		dataTable('Test Endpoint', origin, { operation: 'get', ...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')), limit: 1 }, { alwaysOutputData: true }),
		node('Test Sample', `${PACKAGE}.webhookEventCatalog`, 1, at(origin, 240), { system: 'all', eventTypes: `={{ ${request}.eventType }}`, includeSample: true }, {
			onError: 'continueRegularOutput',
			executeOnce: true,
		}),
		code(
			'Test Event',
			at(origin, 480),
			[
				TEST_EVENT,
				"const random = Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('');",
				`return [{ json: testEvent(${request}, $('Test Endpoint').first().json, $input.first().json, new Date(), random) }];`,
			].join('\n'),
		),
		node('Test Ready?', 'n8n-nodes-base.if', 2.2, at(origin, 720), { conditions: isTrue('$json.ok === true'), options: {} }),
		code('Test Refused', at(origin, 960, 150), answer('$json.status', '{ error: $json.error }')),
		code('Test Envelope', at(origin, 960), 'return [{ json: $input.first().json.event }];'),
		// One attempt, no retries: a test says how the endpoint answers now.
		deliverNowNode('Send Test', at(origin, 1200), { endpoints: "={{ [$('Test Event').first().json.endpoint] }}" }, { maxAttempts: 1, timeBudget: 30 }),
		code(
			'Test Event Row',
			at(origin, 1440),
			"const result = $input.first().json;\nreturn [{ json: { eventKey: 'test:' + result.eventId, source: 'test', eventId: result.eventId, eventType: result.eventType, resourceId: result.resourceId ?? '', channels: result.channels ?? '', payload: result.payload } }];",
		),
		dataTable('Record Test Event', at(origin, 1680), { operation: 'insert', dataTableId: table(TABLE.events), columns: autoMapColumns, options: {} }),
		code(
			'Test Log Row',
			at(origin, 1920),
			`${TEST_LOG_ROW}\nreturn [{ json: testLogRow($('Send Test').first().json, $('Test Event').first().json.endpoint, $input.first().json.id) }];`,
		),
		dataTable('Log Test', at(origin, 2160), { operation: 'insert', dataTableId: table(TABLE.deliveries), columns: autoMapColumns, options: {} }),
		code(
			'Test Result',
			at(origin, 2400),
			answer(
				'200',
				"{ test: (({ id, deliveryId, eventId, eventType, endpointName, status, responseCode, responseBody, error, durationMs }) => ({ id, deliveryId, eventId, eventType, endpointName, status, responseCode, responseBody, error, durationMs }))($input.first().json) }",
			),
		),
	],
	connections: {
		'Test Endpoint': to('Test Sample'),
		'Test Sample': to('Test Event'),
		'Test Event': to('Test Ready?'),
		'Test Ready?': { main: [[link('Test Envelope')], [link('Test Refused')]] },
		'Test Envelope': to('Send Test'),
		'Send Test': to('Test Event Row'),
		'Test Event Row': to('Record Test Event'),
		'Record Test Event': to('Test Log Row'),
		'Test Log Row': to('Log Test'),
		'Log Test': to('Test Result'),
	},
};
