import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TABLE } from '../nodes/shared/storage/tables';
import { ACTIVITY_STATS, DELIVERY_DETAILS, PAGE_DELIVERIES, READ_REQUEST, STORAGE_USAGE } from './activityCode';
import { activityBranch, testBranch } from './activityBranches';
import {
	ACTIVITY_PATH,
	ADMIN_HEADER,
	adminRequests,
	answer,
	code,
	condition,
	credential,
	CREDENTIAL,
	dataTable,
	everyRow,
	isTrue,
	link,
	mapColumns,
	node,
	rowsOf,
	N8N_WEBHOOK_URL,
	PACKAGE,
	RESEND_PATH,
	STARTER_DELIVER_OPTIONS,
	table,
	tableSizes,
	where,
	type StarterWorkflow,
	type WorkflowNode,
} from './build';
import { activityNotes } from './notes';
import { DEFAULT_DATA_TABLE_LIMIT } from './retention';


/** The page reads at most this many log rows per query (newest first by the chosen order); it says when it hit the cap. */
export const ACTIVITY_ROW_CAP = 5000;


function switchOnAction(actions: string[]) {
	return {
		rules: {
			values: actions.map((action) => ({
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [{ id: action, leftValue: '={{ $json.action }}', rightValue: action, operator: { type: 'string', operation: 'equals' } }],
					combinator: 'and',
				},
				renameOutput: true,
				outputKey: action,
			})),
		},
		options: { fallbackOutput: 'extra', renameFallbackOutput: 'invalid' },
	};
}

/**
 * The activity page: a Webhook that serves one self-contained HTML page (no assets, nothing fetched
 * from the network), and a JSON API behind the admin header that the page calls. Every request is
 * checked by "Read Request" first; each action is one branch of data-table nodes; all end in one
 * Respond node. Resends go to the Resend workflow's webhook, with the same header, so a resend is
 * logged the same way wherever it comes from.
 */
export function activity(): StarterWorkflow {
	const request = "$('Read Request').first().json";
	const page = readFileSync(join(__dirname, 'activityPage.html'), 'utf8')
		// The script lives in its own file; inlined by a function, so "$'" in it stays as it is.
		.replace('<!--__SCRIPT__-->', () => readFileSync(join(__dirname, 'activityPage.js'), 'utf8'))
		.replace('__ADMIN_HEADER__', ADMIN_HEADER)
		.replace('__RESEND_NAME__', RESEND_PATH.split('/').pop()!)
		// The endpoints dashboard, test events and the activity chart; a function, so "$'" in the script stays as it is.
		.replace('<!--__DASHBOARD__-->', () => readFileSync(join(__dirname, 'activityDashboard.html'), 'utf8'));
	const actions = ['stats', 'deliveries', 'delivery', 'endpoints', 'saveEndpoint', 'setEndpointActive', 'deleteEndpoint', 'catalog', 'activity', 'test', 'recover'];
	const y = (i: number) => i * 200 - 700;
	const endpointColumns = ['name', 'url', 'eventTypes', 'channels', 'active', 'authentication', 'description'];
	const endpointFields = Object.fromEntries(endpointColumns.map((name) => [name, `={{ $('Check Endpoint').first().json.endpoint.${name} }}`]));
	// The sealed columns stay out of every answer (the hint says what may be shown).
	const rowOrNotFound = (what: string, body: string) =>
		`const { signingSecret, secrets, ...row } = $input.first().json;\nif (!row.id) ${answer('404', `{ error: 'No ${what} with this id' }`)}\n${answer('200', body)}`;
	const nodes: WorkflowNode[] = [
		node('Activity Page', 'n8n-nodes-base.webhook', 2.1, [0, -1000], { httpMethod: 'GET', path: ACTIVITY_PATH, responseMode: 'responseNode', options: {} }, { webhookId: '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a04' }),
		node('Serve Page', 'n8n-nodes-base.respondToWebhook', 1.5, [240, -1000], {
			respondWith: 'text',
			responseBody: page,
			options: {
				responseHeaders: {
					entries: [
						{ name: 'content-type', value: 'text/html; charset=utf-8' },
						{ name: 'cache-control', value: 'no-store' },
						{ name: 'x-content-type-options', value: 'nosniff' },
						{ name: 'referrer-policy', value: 'no-referrer' },
						// n8n keeps its own Content-Security-Policy; this header stops other sites framing the page.
						{ name: 'x-frame-options', value: 'DENY' },
					],
				},
			},
		}),
		node(
			'Activity API',
			'n8n-nodes-base.webhook',
			2.1,
			[0, 0],
			{ httpMethod: 'POST', path: `${ACTIVITY_PATH}/api`, authentication: 'headerAuth', responseMode: 'responseNode', options: {} },
			{ webhookId: '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a05', credentials: credential(CREDENTIAL.admin) },
		),
		code('Read Request', [240, 0], `${READ_REQUEST}\nreturn [{ json: readRequest($input.first().json.body) }];`),
		node('Action', 'n8n-nodes-base.switch', 3.2, [480, 0], switchOnAction(actions)),
		// stats: finished deliveries of the last day (newest first, capped), the open ones, and the space used.
		dataTable(
			'Recent Deliveries',
			[720, y(0)],
			{
				operation: 'get',
				...where(TABLE.deliveries, condition('createdAt', 'gte', "={{ $now.minus(1, 'day').toISO() }}")),
				limit: ACTIVITY_ROW_CAP,
				orderBy: true,
				orderByColumn: 'id',
				orderByDirection: 'DESC',
			},
			{ alwaysOutputData: true, executeOnce: true },
		),
		everyRow('Open Now', [840, y(0) + 60], TABLE.outbox),
		tableSizes('Table Sizes', [960, y(0) + 60]),
		node('Space Settings', 'n8n-nodes-base.set', 3.4, [1000, y(0) + 60], {
			// The limit of all data tables together (N8N_DATA_TABLES_MAX_SIZE_BYTES); setup writes the instance's value.
			assignments: { assignments: [{ id: 'limitBytes', name: 'limitBytes', value: DEFAULT_DATA_TABLE_LIMIT, type: 'number' }] },
			options: {},
		}, { executeOnce: true }),
		code(
			'Count',
			[1080, y(0)],
			[
				ACTIVITY_STATS,
				STORAGE_USAGE,
				"const finished = $('Recent Deliveries').all().map((item) => item.json);",
				"const open = $('Open Now').all().map((item) => item.json);",
				"const storage = storageUsage($('Table Sizes').first().json.data, $('Space Settings').first().json);",
				answer('200', `{ ...activityStats(finished, open, new Date()), capped: finished.length >= ${ACTIVITY_ROW_CAP}, storage }`),
			].join('\n'),
		),
		// deliveries: the table narrows (dates, and status, type and endpoint as "contains"), the code matches exactly.
		dataTable(
			'Find Deliveries',
			[720, y(1)],
			{
				operation: 'get',
				...where(
					TABLE.deliveries,
					condition('createdAt', 'gte', "={{ $json.filter.from || '1970-01-01T00:00:00.000Z' }}"),
					condition('createdAt', 'lte', "={{ $json.filter.to || $now.plus(1, 'day').toISO() }}"),
					condition('status', 'like', '={{ $json.narrow.status }}'),
					condition('eventType', 'like', '={{ $json.narrow.eventType }}'),
					condition('endpointName', 'like', '={{ $json.narrow.endpointName }}'),
				),
				limit: ACTIVITY_ROW_CAP,
				orderBy: true,
				orderByColumn: '={{ $json.sort }}',
				orderByDirection: '={{ $json.direction.toUpperCase() }}',
			},
			{ alwaysOutputData: true, executeOnce: true },
		),
		// Deliveries in flight are in the outbox (a table as small as the work in flight): all of them are read.
		everyRow('Open Deliveries', [840, y(1) + 60], TABLE.outbox),
		code(
			'Page Deliveries',
			[960, y(1)],
			`${PAGE_DELIVERIES}\nconst rows = $('Find Deliveries').all().map((item) => item.json);\nconst open = $('Open Deliveries').all().map((item) => item.json);\n${answer('200', `{ ...pageDeliveries([...open, ...rows], ${request}), capped: rows.length >= ${ACTIVITY_ROW_CAP} }`)}`,
		),
		// delivery: the row (in flight or finished), its event's body and its attempts
		dataTable('Find Delivery', [720, y(2)], { operation: 'get', ...where(TABLE.deliveries, condition('deliveryId', 'eq', '={{ $json.deliveryId }}')), limit: 1, orderBy: true, orderByColumn: 'id', orderByDirection: 'DESC' }, { alwaysOutputData: true }),
		dataTable('Open Delivery', [840, y(2) + 60], { operation: 'get', ...where(TABLE.outbox, condition('deliveryId', 'eq', `={{ ${request}.deliveryId }}`)), limit: 1 }, { alwaysOutputData: true, executeOnce: true }),
		dataTable(
			'Its Event',
			[960, y(2) + 60],
			{ operation: 'get', ...where(TABLE.events, condition('id', 'eq', "={{ $('Open Delivery').first().json.eventRow || $('Find Delivery').first().json.eventRow || 0 }}")), limit: 1 },
			{ alwaysOutputData: true, executeOnce: true },
		),
		code(
			'Delivery Details',
			[1200, y(2)],
			[
				DELIVERY_DETAILS,
				"const details = deliveryDetails($('Open Delivery').first().json, $('Find Delivery').first().json, $('Its Event').first().json);",
				answer('details.status', 'details.body'),
			].join('\n'),
		),
		// endpoints
		everyRow('All Endpoints', [720, y(3)], TABLE.endpoints),
		code('Endpoint List', [960, y(3)], answer('200', '{ endpoints: $input.all().map(({ json: { signingSecret, secrets, ...row } }) => row).filter((row) => row.id) }')),
		// saveEndpoint: checked by the package's own rules (URL policy, catalog), names unique, then insert or update.
		// Custom event types count as catalog types for the check.
		everyRow('Event Types to Check', [600, y(4)], TABLE.eventTypes),
		code('Endpoint Fields', [720, y(4)], `return [{ json: ${request}.endpoint }];`),
		// No credential: the check sends nothing. Setup gives it the same options as the delivering nodes.
		node('Check Endpoint', `${PACKAGE}.deliverWebhook`, 1, [960, y(4)], { operation: 'check', options: { ...STARTER_DELIVER_OPTIONS }, customEventTypes: rowsOf('Event Types to Check') }),
		node('Valid?', 'n8n-nodes-base.if', 2.2, [1200, y(4)], { conditions: isTrue('$json.valid === true'), options: {} }),
		dataTable(
			'Same Name',
			[1440, y(4) - 100],
			{ operation: 'get', ...where(TABLE.endpoints, condition('name', 'eq', '={{ $json.endpoint.name }}')), limit: 1 },
			{ alwaysOutputData: true },
		),
		node('Name Free?', 'n8n-nodes-base.if', 2.2, [1680, y(4) - 100], { conditions: isTrue(`!$json.id || $json.id === ${request}.id`), options: {} }),
		node('New?', 'n8n-nodes-base.if', 2.2, [1920, y(4) - 200], { conditions: isTrue(`${request}.id === 0`), options: {} }),
		dataTable('Insert Endpoint', [2160, y(4) - 300], {
			operation: 'insert',
			dataTableId: table(TABLE.endpoints),
			columns: mapColumns({ ...endpointFields, disabledReason: '' }),
			options: {},
		}),
		dataTable(
			'Update Endpoint',
			[2160, y(4) - 100],
			{
				operation: 'update',
				...where(TABLE.endpoints, condition('id', 'eq', `={{ ${request}.id }}`)),
				// disabledReason is left alone: why endpoint health disabled a row stays until it is enabled.
				columns: mapColumns(endpointFields),
				options: {},
			},
			{ alwaysOutputData: true },
		),
		// The endpoint's own secrets, sealed by the node with the key in n8n's credential store.
		node(
			'Seal Secrets',
			`${PACKAGE}.deliverWebhook`,
			1,
			[2280, y(4) - 200],
			{ operation: 'seal', newSecrets: `={{ ${request}.secrets }}`, signingSecretAction: `={{ ${request}.rotateSigningSecret ? 'rotate' : ${request}.id === 0 ? 'create' : 'keep' }}`, options: {} },
			{ credentials: credential(CREDENTIAL.endpointSecretsKey), onError: 'continueRegularOutput', alwaysOutputData: true },
		),
		node('Sealed?', 'n8n-nodes-base.if', 2.2, [2400, y(4) - 200], { conditions: isTrue('!$json.error'), options: {} }),
		dataTable('Store Secrets', [2520, y(4) - 300], {
			operation: 'update',
			...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')),
			columns: mapColumns({ signingSecret: '={{ $json.signingSecret }}', secrets: '={{ $json.secrets }}', secretsHint: '={{ $json.secretsHint }}' }),
			options: {},
		}),
		code(
			'Saved',
			[2640, y(4) - 200],
			[
				"const sealed = $('Seal Secrets').first().json;",
				`if (sealed.error && !sealed.id) ${answer('404', "{ error: 'No endpoint with this id' }")}`,
				`if (sealed.error) ${answer('422', "{ error: 'The endpoint was saved, but not its secrets: ' + sealed.error, errors: [sealed.error], id: sealed.id }")}`,
				'const { signingSecret, secrets, ...row } = $input.first().json;',
				// A new signing secret is shown this once, to hand to the partner; the table keeps it sealed.
				answer('200', '{ endpoint: row, ...(sealed.newSigningSecret ? { signingSecret: sealed.newSigningSecret } : {}), ...(sealed.warning ? { warning: sealed.warning } : {}) }'),
			].join('\n'),
		),
		code('Name Taken', [1920, y(4)], answer('409', "{ error: 'An endpoint with this name exists already', errors: ['name: another endpoint is called ' + JSON.stringify($('Check Endpoint').first().json.endpoint.name)] }")),
		code('Not Valid', [1440, y(4) + 100], answer('422', "{ error: 'The endpoint is not valid', errors: $input.first().json.errors }")),
		// setEndpointActive
		dataTable(
			'Set Active',
			[720, y(5)],
			{
				operation: 'update',
				...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')),
				columns: mapColumns({
					active: '={{ $json.active }}',
					disabledReason: "={{ $json.active ? '' : 'Disabled on the activity page' }}",
					// When it was disabled: what failed since then can be recovered after re-enabling.
					disabledAt: '={{ $json.active ? null : $now.toISO() }}',
				}),
				options: {},
			},
			{ alwaysOutputData: true },
		),
		code('Active Set', [960, y(5)], rowOrNotFound('endpoint', '{ endpoint: row }')),
		// deleteEndpoint
		dataTable('Delete Endpoint', [720, y(6)], { operation: 'deleteRows', ...where(TABLE.endpoints, condition('id', 'eq', '={{ $json.id }}')), options: {} }, { alwaysOutputData: true }),
		code('Deleted', [960, y(6)], rowOrNotFound('endpoint', '{ deleted: { id: row.id, name: row.name } }')),
		// catalog
		everyRow('Custom Event Types', [600, y(7)], TABLE.eventTypes),
		node('Event Catalog', `${PACKAGE}.webhookEventCatalog`, 1, [720, y(7)], { system: 'all', eventTypes: '', includeSample: true, customEventTypes: rowsOf('Custom Event Types') }, { executeOnce: true }),
		code('Catalog List', [960, y(7)], answer('200', '{ eventTypes: $input.all().map((item) => item.json) }')),
		...activityBranch.nodes([720, y(8)]),
		...testBranch.nodes([720, y(9)]),
		// recover: the failed deliveries of an endpoint since a time, resent through the Resend workflow.
		node(
			'Recover',
			'n8n-nodes-base.httpRequest',
			4.2,
			[720, y(10)],
			{
				method: 'POST',
				url: `${N8N_WEBHOOK_URL}/${RESEND_PATH}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: "={{ JSON.stringify({ endpointId: $json.endpointId, status: 'failed', from: $json.since, limit: 1000 }) }}",
				options: { timeout: 300000, response: { response: { fullResponse: true, neverError: true } } },
			},
			{ credentials: credential(CREDENTIAL.admin), onError: 'continueRegularOutput' },
		),
		code('Recovered', [960, y(10)], answer("$json.statusCode || 502", "$json.statusCode ? { recover: $json.body } : { error: 'The Resend workflow did not answer' }")),
		code('Bad Request', [720, y(11)], answer('$json.status', '{ error: $json.error }')),
		node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, [2640, 0], {
			respondWith: 'json',
			responseBody: '={{ $json.body }}',
			options: { responseCode: '={{ $json.status }}', responseHeaders: { entries: [{ name: 'cache-control', value: 'no-store' }] } },
		}),
	];
	const to = (name: string) => ({ main: [[link(name)]] });
	return {
		name: 'Webhook Notifications: Activity page',
		nodes: [...activityNotes(), ...nodes],
		connections: {
			'Activity Page': to('Serve Page'),
			'Activity API': to('Read Request'),
			'Read Request': to('Action'),
			Action: { main: ['Recent Deliveries', 'Find Deliveries', 'Find Delivery', 'All Endpoints', 'Event Types to Check', 'Set Active', 'Delete Endpoint', 'Custom Event Types', activityBranch.first, testBranch.first, 'Recover', 'Bad Request'].map((name) => [link(name)]) },
			'Recent Deliveries': to('Open Now'),
			'Open Now': to('Table Sizes'),
			'Table Sizes': to('Space Settings'),
			'Space Settings': to('Count'),
			'Find Deliveries': to('Open Deliveries'),
			'Open Deliveries': to('Page Deliveries'),
			'Find Delivery': to('Open Delivery'),
			'Open Delivery': to('Its Event'),
			'Its Event': to('Delivery Details'),
			'All Endpoints': to('Endpoint List'),
			'Event Types to Check': to('Endpoint Fields'),
			'Endpoint Fields': to('Check Endpoint'),
			'Check Endpoint': to('Valid?'),
			'Valid?': { main: [[link('Same Name')], [link('Not Valid')]] },
			'Same Name': to('Name Free?'),
			'Name Free?': { main: [[link('New?')], [link('Name Taken')]] },
			'New?': { main: [[link('Insert Endpoint')], [link('Update Endpoint')]] },
			'Insert Endpoint': to('Seal Secrets'),
			'Update Endpoint': to('Seal Secrets'),
			'Seal Secrets': to('Sealed?'),
			'Sealed?': { main: [[link('Store Secrets')], [link('Saved')]] },
			'Store Secrets': to('Saved'),
			Recover: to('Recovered'),
			'Set Active': to('Active Set'),
			'Delete Endpoint': to('Deleted'),
			'Custom Event Types': to('Event Catalog'),
			'Event Catalog': to('Catalog List'),
			...activityBranch.connections,
			...testBranch.connections,
			...Object.fromEntries(['Count', 'Page Deliveries', 'Delivery Details', 'Endpoint List', 'Saved', 'Name Taken', 'Not Valid', 'Active Set', 'Deleted', 'Catalog List', ...activityBranch.last, ...testBranch.last, 'Recovered', 'Bad Request'].map((name) => [name, to('Respond')])),
		},
		settings: adminRequests,
	};
}

