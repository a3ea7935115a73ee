/**
 * Building blocks of the starter workflows: n8n node JSON with the package's conventions. Each
 * workflow's source uses these, so table references, credentials and settings look the same in all.
 */
export const PACKAGE = 'n8n-nodes-webhook-notifications';

/** Credential names the workflows refer to; the setup command wires the user's credentials of these names. */
export const CREDENTIAL = {
	signing: { type: 'webhookSigningSecretApi', name: 'Webhook Signing Secret' },
	sourceSigning: { type: 'webhookSigningSecretApi', name: 'Source Signing Secret' },
	oauth2: { type: 'webhookOAuth2Api', name: 'Webhook OAuth2' },
	secretHeader: { type: 'webhookSecretHeaderApi', name: 'Webhook Secret Header' },
	admin: { type: 'httpHeaderAuth', name: 'Webhook Notifications Admin' },
	/** Seals and opens the endpoints' own secrets; setup creates it. */
	endpointSecretsKey: { type: 'webhookEndpointSecretsKeyApi', name: 'Webhook Endpoint Secrets Key' },
	/** n8n's own public API: the only place a workflow can read how much space the data tables use. */
	n8nApi: { type: 'n8nApi', name: 'Webhook Notifications n8n API' },
} as const;

/** Where the starter workflows reach n8n's public API; setup writes the instance's own URL instead. */
export const N8N_API_URL = 'http://localhost:5678/api/v1';
/** Where a starter workflow calls another one's webhook (recover calls Resend); setup writes the instance's own URL. */
export const N8N_WEBHOOK_URL = 'http://localhost:5678/webhook';

/** Header the admin credential checks (resend and the activity page's API). */
export const ADMIN_HEADER = 'x-webhook-admin-token';
export const RESEND_PATH = 'webhook-notifications/resend';
export const ACTIVITY_PATH = 'webhook-notifications/activity';
export const OPERATIONAL_EVENTS_WORKFLOW = 'Webhook Notifications: Operational events';

export type Json = Record<string, unknown>;
export interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Json;
	[setting: string]: unknown;
}
export type Connections = Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
export interface StarterWorkflow {
	name: string;
	nodes: WorkflowNode[];
	connections: Connections;
	settings: Json;
}
/** A piece of a workflow: its nodes and the connections among them. */
export interface Chain {
	nodes: WorkflowNode[];
	connections: Connections;
}

export const node = (name: string, type: string, typeVersion: number, position: [number, number], parameters: Json, settings: Json = {}): WorkflowNode => ({
	name,
	type,
	typeVersion,
	position,
	parameters,
	...settings,
});

export const link = (name: string, index = 0) => ({ node: name, type: 'main' as const, index });
/** Connections from one output to the named nodes. */
export const to = (...names: string[]) => ({ main: [names.map((name) => link(name))] });

export const credential = (ref: { type: string; name: string }) => ({ [ref.type]: { id: '', name: ref.name } });
export const table = (name: string) => ({ __rl: true, mode: 'name', value: name });

/** Data Table node (typeVersion 1.1 returns dates as ISO strings). */
export function dataTable(name: string, position: [number, number], parameters: Json, settings: Json = {}) {
	return node(name, 'n8n-nodes-base.dataTable', 1.1, position, { resource: 'row', ...parameters }, settings);
}

export const condition = (keyName: string, conditionName: string, keyValue?: string) =>
	keyValue === undefined ? { keyName, condition: conditionName } : { keyName, condition: conditionName, keyValue };

/** The rows of a table (by name) that meet every condition. */
export const where = (tableName: string, ...conditions: Array<ReturnType<typeof condition>>) => ({
	dataTableId: table(tableName),
	matchType: 'allConditions',
	filters: { conditions },
});

export function mapColumns(columns: Record<string, string | number>) {
	return { mappingMode: 'defineBelow', value: columns, matchingColumns: [], schema: [] };
}

/**
 * Columns taken from the input item as they are: n8n evaluates no expression per column (each costs
 * about 0.5 ms per item here, so 21 columns of 100 items took a second). The item must hold only
 * columns of the table; a Set node in front keeps just those.
 */
export const autoMapColumns = { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] };

/** A Set node that passes on only some fields (static lists: nothing evaluated per item), plus constants. */
export function keepFields(name: string, position: [number, number], keep: { only: string[] } | { except: string[] }, constants: Record<string, number> = {}) {
	return node(name, 'n8n-nodes-base.set', 3.4, position, {
		mode: 'manual',
		assignments: { assignments: Object.entries(constants).map(([field, value]) => ({ id: field, name: field, value, type: 'number' })) },
		includeOtherFields: true,
		...('only' in keep ? { include: 'selected', includeFields: keep.only.join(',') } : { include: 'except', excludeFields: keep.except.join(',') }),
		options: {},
	});
}

/** A Set node computing fields once (on the first item) from expressions. */
export function computeOnce(name: string, position: [number, number], fields: Record<string, { value: string; type: 'number' | 'string' | 'array' | 'object' | 'boolean' }>) {
	return node(
		name,
		'n8n-nodes-base.set',
		3.4,
		position,
		{
			mode: 'manual',
			assignments: { assignments: Object.entries(fields).map(([field, { value, type }]) => ({ id: field, name: field, value, type })) },
			options: {},
		},
		{ executeOnce: true },
	);
}

/** IF / Filter / Switch condition that an expression is true (typeVersion 2.2 conditions). */
export function isTrue(expression: string) {
	return {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: [{ id: 'c1', leftValue: `={{ ${expression} }}`, rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }],
		combinator: 'and',
	};
}

/** A Switch node with one output per rule (an expression that is true), in order, and no fallback. */
export function switchOn(name: string, position: [number, number], rules: Array<{ output: string; when: string }>) {
	return node(name, 'n8n-nodes-base.switch', 3.2, position, {
		rules: { values: rules.map(({ output, when }) => ({ conditions: isTrue(when), renameOutput: true, outputKey: output })) },
		options: {},
	});
}

/** HTTPS by default: setup's --allow-http-hosts lists the receivers on this machine that may use http. */
export const STARTER_DELIVER_OPTIONS = { requireHttps: true };

export function deliverNode(name: string, position: [number, number], parameters: Json, settings: Json = {}) {
	return node(name, `${PACKAGE}.deliverWebhook`, 1, position, { ...parameters, options: { ...STARTER_DELIVER_OPTIONS } }, settings);
}

/**
 * The credentials of a sending Deliver Webhook node: the signing secret and the key that opens the
 * endpoints' own secrets, both made by setup (or by hand, README). n8n refuses to start a run whose
 * nodes name a credential that does not exist, so the optional ones (OAuth2, secret header) are
 * added on the node by the user who needs them, or by setup when they exist.
 */
const sendingCredentials = { credentials: { ...credential(CREDENTIAL.signing), ...credential(CREDENTIAL.endpointSecretsKey) } };
/** Credentials a sending node uses only for endpoints whose authentication asks for them. */
export const OPTIONAL_CREDENTIALS = [CREDENTIAL.oauth2, CREDENTIAL.secretHeader];

/** The items a named node output, as rows: the endpoints as they are now, events by id, custom event types. An empty read's one empty item counts as none. */
export const rowsOf = (nodeName: string) => `={{ $('${nodeName}').all().map(item => item.json) }}`;

/** A Deliver Webhook node that sends outbox (or log) rows: signed, authenticated per endpoint. */
export function continueNode(name: string, position: [number, number], attemptTrigger: 'scheduled' | 'manual', parameters: Json = {}) {
	return deliverNode(name, position, { operation: 'continue', attemptTrigger, authentication: 'perEndpoint', signPayload: true, ...parameters }, sendingCredentials);
}

/** A Deliver Webhook node that sends its input events now to the endpoints of a list: signed, authenticated per endpoint. */
export function deliverNowNode(name: string, position: [number, number], parameters: Json, options: Json = {}) {
	return node(name, `${PACKAGE}.deliverWebhook`, 1, position, { operation: 'deliver', eventSource: 'envelope', endpointSource: 'list', authentication: 'perEndpoint', signPayload: true, ...parameters, options }, sendingCredentials);
}

/** Every row of a table that stays small (the endpoints, or the outbox: the work in flight). */
export const everyRow = (name: string, position: [number, number], tableName: string) =>
	dataTable(name, position, { operation: 'get', dataTableId: table(tableName), matchType: 'allConditions', filters: { conditions: [] }, returnAll: true }, { alwaysOutputData: true, executeOnce: true });

/** The answer every activity API branch ends in: `{ status, body }`, sent by the one Respond node. */
export const answer = (status: string, body: string) => `return [{ json: { status: ${status}, body: ${body} } }];`;

/** A Code node that runs once over all its input items. */
export const code = (name: string, position: [number, number], jsCode: string) => node(name, 'n8n-nodes-base.code', 2, position, { jsCode });

/**
 * Settings of the workflows that run for every event: a successful run's data is not saved (the
 * log tables hold what happened; saving every item of every run costs more than the run itself
 * and keeps payloads twice). Failed runs are saved in full, for debugging.
 */
export const highVolume = { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all' };

/**
 * Settings of the workflows behind the admin header: n8n's Webhook node puts the request's
 * headers, the admin token among them, into its output, so no run of these is saved. Their
 * outcome is in the log tables.
 */
export const adminRequests = { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none', saveManualExecutions: false };

export const ENDPOINT_HEALTH_WORKFLOW = 'Webhook Notifications: Endpoint health';

/**
 * Calls another starter workflow with the input items, found by its name through n8n's API (the
 * n8n node, with the n8n API credential's base URL): ids change on every import, names do not. A
 * fixed id would be empty after "Import from File" and block activation. Three nodes: the lookup
 * (once per run), a Merge that waits for it and passes on the input items, and the call.
 */
export function callWorkflow(label: string, position: [number, number], workflowName: string): Chain {
	const [x, y] = position;
	const find = `Find ${label} Workflow`;
	const merge = `To ${label}`;
	const run = `Run ${label}`;
	return {
		nodes: [
			node(
				find,
				'n8n-nodes-base.n8n',
				1,
				[x, y + 160],
				{ resource: 'workflow', operation: 'getAll', returnAll: true, filters: { activeWorkflows: true, name: workflowName, excludePinnedData: true }, requestOptions: {} },
				{ credentials: credential(CREDENTIAL.n8nApi), executeOnce: true },
			),
			node(merge, 'n8n-nodes-base.merge', 3.2, [x + 240, y], { mode: 'chooseBranch', useDataOfInput: 1 }),
			node(
				run,
				'n8n-nodes-base.executeWorkflow',
				1.2,
				[x + 480, y],
				{
					source: 'database',
					workflowId: {
						__rl: true,
						mode: 'id',
						value: `={{ $('${find}').all().map(item => item.json).find(workflow => workflow.name === ${JSON.stringify(workflowName)})?.id ?? 'not published: ${workflowName}' }}`,
					},
					workflowInputs: { mappingMode: 'defineBelow', value: {}, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: true },
					mode: 'once',
					options: {},
				},
			),
		],
		connections: { [find]: { main: [[link(merge, 1)]] }, [merge]: to(run) },
	};
}
/** The connections into a callWorkflow chain from one output. */
export const into = (label: string) => [link(`Find ${label} Workflow`), link(`To ${label}`, 0)];

/** A sticky note on the canvas (markdown). */
export function sticky(name: string, position: [number, number], size: [number, number], content: string, color = 7): WorkflowNode {
	return node(name, 'n8n-nodes-base.stickyNote', 1, position, { content, width: size[0], height: size[1], color });
}

/**
 * The one "Settings" node of a workflow: its tunables as named numbers, read by the other nodes as
 * $('Settings').first().json.<name>. Runs once.
 */
export function settingsNode(position: [number, number], values: Record<string, number>) {
	return node(
		'Settings',
		'n8n-nodes-base.set',
		3.4,
		position,
		{ assignments: { assignments: Object.entries(values).map(([name, value]) => ({ id: name, name, value, type: 'number' })) }, options: {} },
		{ executeOnce: true },
	);
}
export const SETTING = (name: string) => `$('Settings').first().json.${name}`;

/**
 * The data tables with their sizes, from n8n's public API (the Data Table node's table list has no
 * sizes). One item: `{ data: [{ name, sizeBytes, ... }], nextCursor }`. A missing credential or an
 * unreachable API gives an item with `error`: space is then reported as unknown, nothing else stops.
 */
export function tableSizes(name: string, position: [number, number]) {
	return node(
		name,
		'n8n-nodes-base.httpRequest',
		4.2,
		position,
		{
			url: `${N8N_API_URL}/data-tables?limit=250`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'n8nApi',
			options: { timeout: 10000 },
		},
		{ credentials: credential(CREDENTIAL.n8nApi), onError: 'continueRegularOutput', alwaysOutputData: true, executeOnce: true },
	);
}
