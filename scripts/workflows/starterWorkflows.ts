/**
 * The starter workflows, written as code so that table names, columns and the delivery-log mapping
 * have one definition. `npm run workflows` writes them to workflows/*.json (committed, importable
 * as they are); a unit test fails when the JSON files and this code disagree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { tables } from '../cli/tables';
import { ACTIVITY_STATS, PAGE_DELIVERIES, READ_REQUEST } from './activityCode';

export const PACKAGE = 'n8n-nodes-webhook-notifications';
export const TABLE = {
	endpoints: 'webhook_endpoints',
	deliveries: 'webhook_deliveries',
	attempts: 'webhook_attempts',
} as const;

/** Credential names the workflows refer to; the setup command wires the user's credentials of these names. */
export const CREDENTIAL = {
	signing: { type: 'webhookSigningSecretApi', name: 'Webhook Signing Secret' },
	sourceSigning: {
		type: 'webhookSigningSecretApi',
		name: 'Source Signing Secret',
	},
	oauth2: { type: 'webhookOAuth2Api', name: 'Webhook OAuth2' },
	secretHeader: {
		type: 'webhookSecretHeaderApi',
		name: 'Webhook Secret Header',
	},
	admin: { type: 'httpHeaderAuth', name: 'Webhook Notifications Admin' },
} as const;

/** Header the admin credential checks (resend and the activity page's API). */
export const ADMIN_HEADER = 'x-webhook-admin-token';
export const RESEND_PATH = 'webhook-notifications/resend';
export const ACTIVITY_PATH = 'webhook-notifications/activity';
/** The page reads at most this many log rows per query (newest first by the chosen order); it says when it hit the cap. */
export const ACTIVITY_ROW_CAP = 5000;

type Json = Record<string, unknown>;
interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Json;
	[setting: string]: unknown;
}
export interface StarterWorkflow {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Json;
}

const node = (name: string, type: string, typeVersion: number, position: [number, number], parameters: Json, settings: Json = {}): WorkflowNode => ({
	name,
	type,
	typeVersion,
	position,
	parameters,
	...settings,
});

const credential = (ref: { type: string; name: string }) => ({
	[ref.type]: { id: '', name: ref.name },
});
const table = (name: string) => ({ __rl: true, mode: 'name', value: name });

/** Data Table node (typeVersion 1.1 returns dates as ISO strings). */
function dataTable(name: string, position: [number, number], parameters: Json, settings: Json = {}) {
	return node(name, 'n8n-nodes-base.dataTable', 1.1, position, { resource: 'row', ...parameters }, settings);
}

const condition = (keyName: string, conditionName: string, keyValue?: string) =>
	keyValue === undefined ? { keyName, condition: conditionName } : { keyName, condition: conditionName, keyValue };

/** The rows of a table (by name) that meet every condition. */
const where = (tableName: string, ...conditions: Array<ReturnType<typeof condition>>) => ({
	dataTableId: table(tableName),
	matchType: 'allConditions',
	filters: { conditions },
});

function mapColumns(columns: Record<string, string | number>) {
	return {
		mappingMode: 'defineBelow',
		value: columns,
		matchingColumns: [],
		schema: [],
	};
}

/**
 * Columns taken from the input item as they are: n8n evaluates no expression per column (each costs
 * about 0.5 ms per item here, so 21 columns of 100 items took a second). The item must hold only
 * columns of the table; a Set node in front keeps just those.
 */
const autoMapColumns = { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] };

/** A Set node that passes on only some fields (static lists: nothing evaluated per item), plus constants. */
function keepFields(name: string, position: [number, number], keep: { only: string[] } | { except: string[] }, constants: Record<string, number> = {}) {
	return node(name, 'n8n-nodes-base.set', 3.4, position, {
		mode: 'manual',
		assignments: { assignments: Object.entries(constants).map(([field, value]) => ({ id: field, name: field, value, type: 'number' })) },
		includeOtherFields: true,
		...('only' in keep ? { include: 'selected', includeFields: keep.only.join(',') } : { include: 'except', excludeFields: keep.except.join(',') }),
		options: {},
	});
}

/** What an attempt changes on a delivery row. */
export const outcomeColumns = [
	'status',
	'responseCode',
	'responseBody',
	'error',
	'attempts',
	'retryRound',
	'firstAttemptAt',
	'lastAttemptAt',
	'nextAttemptAt',
	'durationMs',
	'endpointGone',
];

/** IF / Filter condition that an expression is true (typeVersion 2.2 conditions). */
function isTrue(expression: string) {
	return {
		options: {
			caseSensitive: true,
			leftValue: '',
			typeValidation: 'loose',
			version: 2,
		},
		conditions: [
			{
				id: 'c1',
				leftValue: `={{ ${expression} }}`,
				rightValue: '',
				operator: { type: 'boolean', operation: 'true', singleValue: true },
			},
		],
		combinator: 'and',
	};
}

function deliverNode(name: string, position: [number, number], parameters: Json, settings: Json = {}) {
	return node(
		name,
		`${PACKAGE}.deliverWebhook`,
		1,
		position,
		{
			authentication: 'perEndpoint',
			signPayload: true,
			...parameters,
			options: {},
		},
		{
			credentials: {
				...credential(CREDENTIAL.signing),
				...credential(CREDENTIAL.oauth2),
				...credential(CREDENTIAL.secretHeader),
			},
			...settings,
		},
	);
}

/**
 * Send, then log: each attempt becomes a row of its own, and the delivery row gets the outcome.
 * Shared by dispatch, retry and resend so that all three log the same way. The attempt branch
 * sits above: n8n runs the upper branch first, so whatever follows the update sees both written.
 */
function sendAndLog(sendName: string, trigger: 'scheduled' | 'manual', x: number, y: number) {
	const nodes = [
		deliverNode(sendName, [x, y], {
			operation: 'continue',
			attemptTrigger: trigger,
		}),
		keepFields('Outcome', [x + 240, y], { only: ['deliveryId', ...outcomeColumns] }),
		dataTable('Update Deliveries', [x + 480, y], {
			operation: 'update',
			...where(TABLE.deliveries, condition('deliveryId', 'eq', '={{ $json.deliveryId }}')),
			columns: autoMapColumns,
			options: {},
		}),
		node('Attempts', 'n8n-nodes-base.splitOut', 1, [x + 240, y - 200], {
			fieldToSplitOut: 'attemptLog',
			include: 'noOtherFields',
			options: {},
		}),
		// Bulk: one statement for all rows, and only a count back (nothing reads this node's output).
		// The attempt log's entries have exactly the attempt columns.
		dataTable('Record Attempts', [x + 480, y - 200], {
			operation: 'insert',
			dataTableId: table(TABLE.attempts),
			columns: autoMapColumns,
			options: { optimizeBulk: true },
		}),
	];
	const connections: StarterWorkflow['connections'] = {
		[sendName]: { main: [[link('Attempts'), link('Outcome')]] },
		Attempts: { main: [[link('Record Attempts')]] },
		Outcome: { main: [[link('Update Deliveries')]] },
	};
	if (trigger === 'scheduled') {
		// A resend that fails is one person's try; only the schedule's verdict judges an endpoint.
		const health = endpointHealth(x + 720, y + 200);
		nodes.push(...health.nodes);
		Object.assign(connections, health.connections, {
			'Update Deliveries': { main: [[link(health.first)]] },
		});
	}
	return { nodes, connections };
}

export const ENDPOINT_DISABLED_WORKFLOW = 'Webhook Notifications: Endpoint disabled';

/**
 * Endpoint health: a delivery that gave up (the durable schedule spent, or 410 Gone) counts
 * against its endpoint. With as many such failures in 24 h as the "Failed Recently" node's
 * Limit (1 by default), or at once on 410, the endpoint is set inactive with a reason and time,
 * and an `endpoint.disabled` event goes to the Endpoint disabled workflow, where a flow routes it.
 * Runs only on failures, so the happy path costs nothing.
 */
function endpointHealth(x: number, y: number) {
	const threshold = "$node['Failed Recently'].parameter.limit";
	const nodes = [
		node('Gave Up?', 'n8n-nodes-base.filter', 2.2, [x, y], {
			conditions: isTrue("$json.status === 'failed' && ($json.endpointGone === true || $json.retryRound > 0)"),
			options: {},
		}),
		dataTable('Failed Recently', [x + 240, y], {
			operation: 'get',
			...where(
				TABLE.deliveries,
				condition('endpointUrl', 'eq', '={{ $json.endpointUrl }}'),
				condition('status', 'eq', 'failed'),
				condition('lastAttemptAt', 'gte', "={{ $now.minus(24, 'hours').toISO() }}"),
			),
			limit: 1,
		}),
		node('Over Threshold?', 'n8n-nodes-base.filter', 2.2, [x + 480, y], {
			conditions: isTrue(
				`$json.endpointGone === true || $('Failed Recently').all().filter(row => row.json.endpointUrl === $json.endpointUrl).length >= ${threshold}`,
			),
			options: {},
		}),
		// Only rows still active match, so an endpoint is disabled (and announced) once.
		dataTable('Disable Endpoint', [x + 720, y], {
			operation: 'update',
			...where(TABLE.endpoints, condition('url', 'eq', '={{ $json.endpointUrl }}'), condition('active', 'isTrue')),
			columns: mapColumns({
				active: '={{ false }}',
				disabledReason: `={{ $json.endpointGone ? 'The endpoint answered 410 Gone' : \`\${${threshold}} delivery(ies) failed after every retry within 24 h; last error: \${$json.error}\` }}`,
				disabledAt: '={{ $now.toISO() }}',
			}),
			options: {},
		}),
		node('endpoint.disabled Event', 'n8n-nodes-base.set', 3.4, [x + 960, y], {
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
		node('Announce', 'n8n-nodes-base.executeWorkflow', 1.2, [x + 1200, y], {
			source: 'database',
			workflowId: {
				__rl: true,
				mode: 'list',
				value: '',
				cachedResultName: ENDPOINT_DISABLED_WORKFLOW,
			},
			workflowInputs: {
				mappingMode: 'defineBelow',
				value: {},
				matchingColumns: [],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: true,
			},
			mode: 'once',
			options: {},
		}),
	];
	const connections = {
		'Gave Up?': { main: [[link('Failed Recently')]] },
		'Failed Recently': { main: [[link('Over Threshold?')]] },
		'Over Threshold?': { main: [[link('Disable Endpoint')]] },
		'Disable Endpoint': { main: [[link('endpoint.disabled Event')]] },
		'endpoint.disabled Event': { main: [[link('Announce')]] },
	};
	return { nodes, connections, first: 'Gave Up?' };
}

/** Receives the endpoint.disabled events: connect mail or chat nodes after "Route It". */
function endpointDisabled(): StarterWorkflow {
	return {
		name: ENDPOINT_DISABLED_WORKFLOW,
		nodes: [
			node('endpoint.disabled', 'n8n-nodes-base.executeWorkflowTrigger', 1.1, [0, 0], { inputSource: 'passthrough' }),
			node('Route It (Mail, Chat)', 'n8n-nodes-base.noOp', 1, [240, 0], {}),
		],
		connections: {
			'endpoint.disabled': { main: [[link('Route It (Mail, Chat)')]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Settings of the workflows that run for every event: a successful run's data is not saved (the
 * log tables hold what happened; saving every item of every run costs more than the run itself
 * and keeps payloads twice). Failed runs are saved in full, for debugging.
 */
const highVolume = { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all' };

/**
 * Settings of the workflows behind the admin header: n8n's Webhook node puts the request's
 * headers, the admin token among them, into its output, so no run of these is saved. Their
 * outcome is in the log tables.
 */
export const adminRequests = { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none', saveManualExecutions: false };

const link = (name: string, index = 0) => ({
	node: name,
	type: 'main' as const,
	index,
});

function dispatch(system: 'billing' | 'shipping'): StarterWorkflow {
	const Label = system === 'billing' ? 'Billing' : 'Shipping';
	const triggerName = `${Label} Event Trigger`;
	const trigger = node(
		triggerName,
		`${PACKAGE}.${system}EventTrigger`,
		1,
		[0, 0],
		{
			events: ['*'],
			authentication: 'signature',
			respond: 'responseNode',
			triggerOptions: {},
		},
		{
			webhookId: system === 'billing' ? '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01' : '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02',
			credentials: credential(CREDENTIAL.sourceSigning),
		},
	);
	const receipt = `{
  received: $('${triggerName}').all().length,
  accepted: $('${triggerName}').all().map(item => item.json.id).filter(id => !$('Known Events').all().some(known => known.json.eventId === id)),
  duplicates: $('${triggerName}').all().map(item => item.json.id).filter(id => $('Known Events').all().some(known => known.json.eventId === id))
}`;
	const acknowledge = (name: string, position: [number, number]) =>
		node(name, 'n8n-nodes-base.respondToWebhook', 1, position, {
			respondWith: 'json',
			responseBody: `={{ ${receipt} }}`,
			// typeVersion 1: later versions accept only n8n's own Webhook node in front of them.
			options: { responseCode: 202 },
		});
	const send = sendAndLog('Send Deliveries', 'scheduled', 1920, -100);
	return {
		name: `Webhook Notifications: ${Label} dispatch`,
		nodes: [
			trigger,
			dataTable(
				'Known Events',
				[240, -200],
				{
					operation: 'get',
					...where(TABLE.deliveries, condition('eventId', 'eq', '={{ $json.id }}')),
					limit: 1,
				},
				{ alwaysOutputData: true },
			),
			dataTable(
				'Active Endpoints',
				[480, -200],
				{
					operation: 'get',
					dataTableId: table(TABLE.endpoints),
					matchType: 'allConditions',
					filters: { conditions: [condition('active', 'isTrue')] },
					returnAll: true,
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			node('Events', 'n8n-nodes-base.merge', 3.2, [720, 0], {
				mode: 'chooseBranch',
				useDataOfInput: 1,
			}),
			deliverNode(
				'Prepare Deliveries',
				[960, 0],
				{
					operation: 'prepare',
					eventSource: 'envelope',
					endpointSource: 'list',
					endpoints: "={{ $('Active Endpoints').all().map(item => item.json) }}",
					skipEventIds: "={{ $('Known Events').all().map(item => item.json.eventId) }}",
					pendingGrace: 120,
				},
				{ alwaysOutputData: true },
			),
			node('Anything to Send?', 'n8n-nodes-base.if', 2.2, [1200, 0], {
				conditions: isTrue('!!$json.deliveryId'),
				options: {},
			}),
			// Prepared deliveries have the log's columns, but for attemptLog (empty yet) and version.
			// The insert is one bulk statement that returns only a count, so the send step takes the
			// deliveries from Prepare Deliveries (through "Deliveries to Send").
			keepFields('Delivery Rows', [1320, -100], { except: ['attemptLog'] }, { version: 0 }),
			dataTable('Record Deliveries', [1440, -100], {
				operation: 'insert',
				dataTableId: table(TABLE.deliveries),
				columns: autoMapColumns,
				options: { optimizeBulk: true },
			}),
			acknowledge('Acknowledge', [1680, -100]),
			// Waits for the acknowledgement, then passes on the prepared deliveries: sent only once recorded.
			node('Deliveries to Send', 'n8n-nodes-base.merge', 3.2, [1800, -300], {
				mode: 'chooseBranch',
				useDataOfInput: 1,
			}),
			acknowledge('Acknowledge (Nothing to Send)', [1440, 200]),
			...send.nodes,
		],
		connections: {
			[triggerName]: { main: [[link('Known Events'), link('Events', 0)]] },
			'Known Events': { main: [[link('Active Endpoints')]] },
			'Active Endpoints': { main: [[link('Events', 1)]] },
			Events: { main: [[link('Prepare Deliveries')]] },
			'Prepare Deliveries': { main: [[link('Anything to Send?')]] },
			'Anything to Send?': {
				main: [[link('Delivery Rows'), link('Deliveries to Send', 0)], [link('Acknowledge (Nothing to Send)')]],
			},
			'Delivery Rows': { main: [[link('Record Deliveries')]] },
			'Record Deliveries': { main: [[link('Acknowledge')]] },
			Acknowledge: { main: [[link('Deliveries to Send', 1)]] },
			'Deliveries to Send': { main: [[link('Send Deliveries')]] },
			...send.connections,
		},
		settings: highVolume,
	};
}

function retryDue(): StarterWorkflow {
	const send = sendAndLog('Send Deliveries', 'scheduled', 720, 0);
	return {
		name: 'Webhook Notifications: Retry due deliveries',
		nodes: [
			node('Every 30 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], {
				rule: { interval: [{ field: 'seconds', secondsInterval: 30 }] },
			}),
			dataTable(
				'Due Deliveries',
				[240, 0],
				{
					operation: 'get',
					...where(
						TABLE.deliveries,
						condition('status', 'neq', 'sent'),
						condition('status', 'neq', 'failed'),
						condition('status', 'neq', 'skipped'),
						condition('nextAttemptAt', 'lte', '={{ $now.toISO() }}'),
					),
					limit: 200,
					orderBy: true,
					orderByColumn: 'nextAttemptAt',
					orderByDirection: 'ASC',
				},
				{ executeOnce: true },
			),
			// Compare-and-set on `version`: of two overlapping runs, only one claims a delivery. The
			// lease (nextAttemptAt moved ahead) makes a claim that dies with its run come due again.
			dataTable('Claim', [480, 0], {
				operation: 'update',
				...where(TABLE.deliveries, condition('deliveryId', 'eq', '={{ $json.deliveryId }}'), condition('version', 'eq', '={{ $json.version ?? 0 }}')),
				columns: mapColumns({
					version: '={{ ($json.version ?? 0) + 1 }}',
					nextAttemptAt: "={{ $now.plus(5, 'minutes').toISO() }}",
				}),
				options: {},
			}),
			...send.nodes,
		],
		connections: {
			'Every 30 Seconds': { main: [[link('Due Deliveries')]] },
			'Due Deliveries': { main: [[link('Claim')]] },
			Claim: { main: [[link('Send Deliveries')]] },
			...send.connections,
		},
		settings: highVolume,
	};
}

function resend(): StarterWorkflow {
	const body = "$('Resend Request').first().json.body";
	const send = sendAndLog('Resend', 'manual', 1440, -100);
	const summary = `={{ {
  matched: $('Resend').all().length,
  sent: $('Resend').all().filter(item => item.json.status === 'sent').length,
  failed: $('Resend').all().filter(item => item.json.status !== 'sent').length,
  deliveries: $('Resend').all().map(item => ({ deliveryId: item.json.deliveryId, status: item.json.status, responseCode: item.json.responseCode, attempts: item.json.attempts, error: item.json.error }))
} }}`;
	return {
		name: 'Webhook Notifications: Resend',
		nodes: [
			node(
				'Resend Request',
				'n8n-nodes-base.webhook',
				2.1,
				[0, 0],
				{
					httpMethod: 'POST',
					path: RESEND_PATH,
					authentication: 'headerAuth',
					responseMode: 'responseNode',
					options: {},
				},
				{
					webhookId: '8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a03',
					credentials: credential(CREDENTIAL.admin),
				},
			),
			// The table narrows by id, status and date; the Filter node then matches the rest exactly.
			dataTable(
				'Find Deliveries',
				[240, 0],
				{
					operation: 'get',
					...where(
						TABLE.deliveries,
						condition('deliveryId', 'like', `={{ ${body}.deliveryId ?? '' }}`),
						condition('status', 'like', `={{ ${body}.status ?? '' }}`),
						condition('createdAt', 'gte', `={{ ${body}.from ?? '1970-01-01T00:00:00.000Z' }}`),
						condition('createdAt', 'lte', `={{ ${body}.to ?? $now.plus(1, 'day').toISO() }}`),
					),
					returnAll: true,
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			node(
				'Match Filter',
				'n8n-nodes-base.filter',
				2.2,
				[480, 0],
				{
					conditions: isTrue(
						`!!$json.deliveryId && [['deliveryId'], ['status'], ['eventType'], ['endpointName'], ['resourceId']].every(([key]) => ${body}[key] === undefined || ${body}[key] === '' || $json[key] === ${body}[key])`,
					),
					options: {},
				},
				{ alwaysOutputData: true },
			),
			node('At Most', 'n8n-nodes-base.limit', 1, [720, 0], {
				maxItems: `={{ ${body}.limit ?? 1000 }}`,
			}),
			node('Anything to Resend?', 'n8n-nodes-base.if', 2.2, [960, 0], {
				conditions: isTrue('!!$json.deliveryId'),
				options: {},
			}),
			...send.nodes,
			node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, [1920, -100], {
				respondWith: 'json',
				responseBody: summary,
				options: {},
			}),
			node('Nothing Matched', 'n8n-nodes-base.respondToWebhook', 1.5, [1200, 200], {
				respondWith: 'json',
				responseBody: '={{ { matched: 0, sent: 0, failed: 0, deliveries: [] } }}',
				options: { responseCode: `={{ ${body}.deliveryId ? 404 : 200 }}` },
			}),
		],
		connections: {
			'Resend Request': { main: [[link('Find Deliveries')]] },
			'Find Deliveries': { main: [[link('Match Filter')]] },
			'Match Filter': { main: [[link('At Most')]] },
			'At Most': { main: [[link('Anything to Resend?')]] },
			'Anything to Resend?': {
				main: [[link('Resend')], [link('Nothing Matched')]],
			},
			...send.connections,
			'Update Deliveries': { main: [[link('Respond')]] },
		},
		settings: adminRequests,
	};
}

function retention(): StarterWorkflow {
	const cutoff = "={{ $now.minus($('Retention Settings').first().json.days, 'days').toISO() }}";
	return {
		name: 'Webhook Notifications: Retention',
		nodes: [
			node('Every Day at 3', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], {
				rule: {
					interval: [{ field: 'days', daysInterval: 1, triggerAtHour: 3 }],
				},
			}),
			node('Retention Settings', 'n8n-nodes-base.set', 3.4, [240, 0], {
				assignments: {
					assignments: [{ id: 'days', name: 'days', value: 30, type: 'number' }],
				},
				options: {},
			}),
			// Deliveries still open (pending or retrying) are kept whatever their age.
			dataTable(
				'Delete Old Deliveries',
				[480, 0],
				{
					operation: 'deleteRows',
					...where(TABLE.deliveries, condition('createdAt', 'lt', cutoff), condition('status', 'neq', 'pending'), condition('status', 'neq', 'retrying')),
					options: {},
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			dataTable(
				'Delete Old Attempts',
				[720, 0],
				{
					operation: 'deleteRows',
					...where(TABLE.attempts, condition('attemptedAt', 'lt', cutoff)),
					options: {},
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
		],
		connections: {
			'Every Day at 3': { main: [[link('Retention Settings')]] },
			'Retention Settings': { main: [[link('Delete Old Deliveries')]] },
			'Delete Old Deliveries': { main: [[link('Delete Old Attempts')]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function setupTables(): StarterWorkflow {
	const nodes = tables.map((definition, i) =>
		node(
			`Create ${definition.name}`,
			'n8n-nodes-base.dataTable',
			1.1,
			[240 * (i + 1), 0],
			{
				resource: 'table',
				operation: 'create',
				tableName: definition.name,
				columns: { column: definition.columns },
				options: { createIfNotExists: true },
			},
			{ executeOnce: true },
		),
	);
	const all = [node('Run Once', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}), ...nodes];
	return {
		name: 'Webhook Notifications: Setup',
		nodes: all,
		connections: Object.fromEntries(all.slice(0, -1).map((n, i) => [n.name, { main: [[link(all[i + 1].name)]] }])),
		settings: { executionOrder: 'v1' },
	};
}

/** A Code node that runs once over all its input items. */
const code = (name: string, position: [number, number], jsCode: string) => node(name, 'n8n-nodes-base.code', 2, position, { jsCode });

/** The answer every API branch ends in: `{ status, body }`, sent by the one Respond node. */
const answer = (status: string, body: string) => `return [{ json: { status: ${status}, body: ${body} } }];`;

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
function activity(): StarterWorkflow {
	const request = "$('Read Request').first().json";
	const page = readFileSync(join(__dirname, 'activityPage.html'), 'utf8')
		.replace('__ADMIN_HEADER__', ADMIN_HEADER)
		.replace('__RESEND_NAME__', RESEND_PATH.split('/').pop()!);
	const actions = ['stats', 'deliveries', 'delivery', 'endpoints', 'saveEndpoint', 'setEndpointActive', 'deleteEndpoint', 'catalog'];
	const y = (i: number) => i * 200 - 700;
	const endpointColumns = ['name', 'url', 'eventTypes', 'channels', 'active', 'authentication', 'description'];
	const endpointFields = Object.fromEntries(endpointColumns.map((name) => [name, `={{ $('Check Endpoint').first().json.endpoint.${name} }}`]));
	const rowOrNotFound = (what: string, body: string) =>
		`const row = $input.first().json;\nif (!row.id) ${answer('404', `{ error: 'No ${what} with this id' }`)}\n${answer('200', body)}`;
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
		// stats
		dataTable(
			'Changed Today',
			[720, y(0)],
			{ operation: 'get', ...where(TABLE.deliveries, condition('updatedAt', 'gte', "={{ $now.minus(1, 'day').toISO() }}")), returnAll: true },
			{ alwaysOutputData: true, executeOnce: true },
		),
		code('Count', [960, y(0)], `${ACTIVITY_STATS}\n${answer('200', 'activityStats($input.all().map((item) => item.json), new Date())')}`),
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
		code(
			'Page Deliveries',
			[960, y(1)],
			`${PAGE_DELIVERIES}\nconst rows = $input.all().map((item) => item.json);\n${answer('200', `{ ...pageDeliveries(rows, ${request}), capped: rows.length >= ${ACTIVITY_ROW_CAP} }`)}`,
		),
		// delivery: the row and its attempts
		dataTable('Find Delivery', [720, y(2)], { operation: 'get', ...where(TABLE.deliveries, condition('deliveryId', 'eq', '={{ $json.deliveryId }}')), limit: 1 }, { alwaysOutputData: true }),
		dataTable(
			'Its Attempts',
			[960, y(2)],
			{ operation: 'get', ...where(TABLE.attempts, condition('deliveryId', 'eq', `={{ ${request}.deliveryId }}`)), returnAll: true },
			{ alwaysOutputData: true, executeOnce: true },
		),
		code(
			'Delivery Details',
			[1200, y(2)],
			[
				"const delivery = $('Find Delivery').first().json;",
				`if (!delivery.deliveryId) ${answer('404', "{ error: 'No delivery with this id' }")}`,
				'const attempts = $input.all().map((item) => item.json).filter((attempt) => attempt.deliveryId)',
				'  .sort((a, b) => String(a.attemptedAt).localeCompare(String(b.attemptedAt)) || a.attempt - b.attempt);',
				answer('200', '{ delivery, attempts }'),
			].join('\n'),
		),
		// endpoints
		dataTable('All Endpoints', [720, y(3)], { operation: 'get', dataTableId: table(TABLE.endpoints), matchType: 'allConditions', filters: { conditions: [] }, returnAll: true }, { alwaysOutputData: true, executeOnce: true }),
		code('Endpoint List', [960, y(3)], answer('200', '{ endpoints: $input.all().map((item) => item.json).filter((row) => row.id) }')),
		// saveEndpoint: checked by the package's own rules (URL policy, catalog), names unique, then insert or update.
		code('Endpoint Fields', [720, y(4)], 'return [{ json: $input.first().json.endpoint }];'),
		// No credential: the check sends nothing. Setup gives it the same options as the delivering nodes.
		node('Check Endpoint', `${PACKAGE}.deliverWebhook`, 1, [960, y(4)], { operation: 'check', options: {} }),
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
		code('Saved', [2400, y(4) - 200], rowOrNotFound('endpoint', '{ endpoint: row }')),
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
		node('Event Catalog', `${PACKAGE}.webhookEventCatalog`, 1, [720, y(7)], { system: 'all', eventTypes: '', includeSample: true }),
		code('Catalog List', [960, y(7)], answer('200', '{ eventTypes: $input.all().map((item) => item.json) }')),
		code('Bad Request', [720, y(8)], answer('$json.status', '{ error: $json.error }')),
		node('Respond', 'n8n-nodes-base.respondToWebhook', 1.5, [2640, 0], {
			respondWith: 'json',
			responseBody: '={{ $json.body }}',
			options: { responseCode: '={{ $json.status }}', responseHeaders: { entries: [{ name: 'cache-control', value: 'no-store' }] } },
		}),
	];
	const to = (name: string) => ({ main: [[link(name)]] });
	return {
		name: 'Webhook Notifications: Activity page',
		nodes,
		connections: {
			'Activity Page': to('Serve Page'),
			'Activity API': to('Read Request'),
			'Read Request': to('Action'),
			Action: { main: ['Changed Today', 'Find Deliveries', 'Find Delivery', 'All Endpoints', 'Endpoint Fields', 'Set Active', 'Delete Endpoint', 'Event Catalog', 'Bad Request'].map((name) => [link(name)]) },
			'Changed Today': to('Count'),
			'Find Deliveries': to('Page Deliveries'),
			'Find Delivery': to('Its Attempts'),
			'Its Attempts': to('Delivery Details'),
			'All Endpoints': to('Endpoint List'),
			'Endpoint Fields': to('Check Endpoint'),
			'Check Endpoint': to('Valid?'),
			'Valid?': { main: [[link('Same Name')], [link('Not Valid')]] },
			'Same Name': to('Name Free?'),
			'Name Free?': { main: [[link('New?')], [link('Name Taken')]] },
			'New?': { main: [[link('Insert Endpoint')], [link('Update Endpoint')]] },
			'Insert Endpoint': to('Saved'),
			'Update Endpoint': to('Saved'),
			'Set Active': to('Active Set'),
			'Delete Endpoint': to('Deleted'),
			'Event Catalog': to('Catalog List'),
			...Object.fromEntries(['Count', 'Page Deliveries', 'Delivery Details', 'Endpoint List', 'Saved', 'Name Taken', 'Not Valid', 'Active Set', 'Deleted', 'Catalog List', 'Bad Request'].map((name) => [name, to('Respond')])),
		},
		settings: adminRequests,
	};
}

/** File name → workflow. */
export function starterWorkflows(): Record<string, StarterWorkflow> {
	return {
		'setup.json': setupTables(),
		'endpoint-disabled.json': endpointDisabled(),
		'billing-dispatch.json': dispatch('billing'),
		'shipping-dispatch.json': dispatch('shipping'),
		'retry-due-deliveries.json': retryDue(),
		'resend.json': resend(),
		'retention.json': retention(),
		'activity-page.json': activity(),
	};
}
