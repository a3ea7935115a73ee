import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { migrateLegacyLog } from './migrate';
import { listenUrls, type ListenUrl } from './urls';
import { N8nApi, type Workflow } from './n8nApi';
import { newSealingKey } from '../../nodes/shared/security/sealing';
import { tables } from '../../nodes/shared/storage/tables';
import { ADMIN_HEADER, CREDENTIAL, N8N_API_URL, N8N_WEBHOOK_URL, OPTIONAL_CREDENTIALS, PACKAGE } from '../../starter/build';

const DELIVER_NODE = `${PACKAGE}.deliverWebhook`;

/**
 * Secrets for the credentials setup creates when they are missing. Each is generated when not
 * given; the command line keeps them in a file only its user can read, never in its output.
 */
export interface SetupSecrets {
	/** Signs outbound webhooks (receivers verify with it). */
	signingSecret?: string;
	/** Sources sign the events they post to the triggers with it. */
	sourceSigningSecret?: string;
	/** The admin header value for the resend endpoint and the activity page. */
	adminToken?: string;
	/** Seals the endpoints' own secrets in the endpoints table (base64 of 32 bytes). */
	endpointSecretsKey?: string;
}

const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** The credentials setup creates when missing, from the secrets. Others (OAuth2, secret header) are the user's. */
function createdCredentials(secrets: Required<SetupSecrets>, api: { url: string; apiKey: string }) {
	return [
		// Retention and the activity page read the data-table space from n8n's public API with it.
		{ ref: CREDENTIAL.n8nApi, data: { apiKey: api.apiKey, baseUrl: `${api.url.replace(/\/+$/, '')}/api/v1` } },
		{ ref: CREDENTIAL.signing, data: { secret: secrets.signingSecret, previousSecret: '' } },
		{ ref: CREDENTIAL.sourceSigning, data: { secret: secrets.sourceSigningSecret, previousSecret: '' } },
		{ ref: CREDENTIAL.admin, data: { name: ADMIN_HEADER, value: secrets.adminToken } },
		{ ref: CREDENTIAL.endpointSecretsKey, data: { secretKey: secrets.endpointSecretsKey, previousSecretKey: '' } },
	];
}

export function completeSecrets(secrets: SetupSecrets): Required<SetupSecrets> {
	return {
		signingSecret: secrets.signingSecret || newSigningSecret(),
		sourceSigningSecret: secrets.sourceSigningSecret || newSigningSecret(),
		adminToken: secrets.adminToken || randomBytes(24).toString('base64url'),
		endpointSecretsKey: secrets.endpointSecretsKey || newSealingKey(),
	};
}

const credentialKey = (type: string, name: string) => `${type}:${name}`;

export interface SetupOptions {
	url: string;
	apiKey: string;
	/** Folder with the starter workflow JSON files (the package's `workflows/`). */
	workflowsDir: string;
	activate: boolean;
	/** Options set on every Deliver Webhook node, e.g. allowedPrivateHosts for receivers on this machine. */
	deliverOptions: Record<string, string | number | boolean>;
	/** Per-workflow parameter overrides: "Node Name.parameter.path" → value. */
	overrides: Record<string, unknown>;
	/** N8N_DATA_TABLES_MAX_SIZE_BYTES of the instance, when it is not n8n's default: the starter workflows measure space against it. */
	dataTableLimitBytes?: number;
	/** Values for the workflows' Settings nodes, by setting name (e.g. trimAbovePercent); every Settings node that has the setting gets it. */
	settings?: Record<string, number>;
	/** Used only for credentials that do not exist yet. */
	secrets: Required<SetupSecrets>;
	log: (line: string) => void;
}

export interface SetupResult {
	tables: Record<string, string>;
	workflows: Record<string, { id: string; active: boolean }>;
	/** "type:name" → credential id, for the credentials the workflows refer to. */
	credentials: Record<string, string>;
	/** Credentials this run created (so the secrets used are the ones given). */
	createdCredentials: string[];
	/** What the upgrade from the first delivery log moved (nothing on a new instance). */
	migrated?: { moved: number; seeded: number };
	/** Where the workflows listen: the trigger URLs the source systems need, the activity page, the resend API. */
	urls: ListenUrl[];
}

/** Creates the tables and imports the starter workflows; running it again updates in place. */
export async function setup(options: SetupOptions): Promise<SetupResult> {
	const api = new N8nApi(options.url, options.apiKey);
	const result: SetupResult = { tables: {}, workflows: {}, credentials: {}, createdCredentials: [], urls: [] };

	const existingTables = await api.dataTables();
	for (const table of tables) {
		let found = existingTables.find((candidate) => candidate.name === table.name);
		if (!found) {
			found = await api.createDataTable(table.name, table.columns);
			options.log(`created table ${table.name}`);
		} else {
			const have = new Set((await api.columns(found.id)).map((column) => column.name));
			for (const column of table.columns.filter((candidate) => !have.has(candidate.name))) {
				await api.addColumn(found.id, column);
				options.log(`added column ${table.name}.${column.name}`);
			}
		}
		result.tables[table.name] = found.id;
	}
	// An instance set up before the outbox existed: its open deliveries carry on from the outbox.
	result.migrated = await migrateLegacyLog(api, result.tables, options.log);

	const existingCredentials = await api.credentials();
	for (const credential of existingCredentials) result.credentials[credentialKey(credential.type, credential.name)] ??= credential.id;
	for (const { ref, data } of createdCredentials(options.secrets, options)) {
		const key = credentialKey(ref.type, ref.name);
		if (result.credentials[key]) continue;
		result.credentials[key] = (await api.createCredential(ref.name, ref.type, data)).id;
		result.createdCredentials.push(ref.name);
		options.log(`created credential "${ref.name}"`);
	}

	const existingWorkflows = await api.workflows();
	const files = readdirSync(options.workflowsDir).filter((name) => name.endsWith('.json')).sort();
	const read = (file: string) => JSON.parse(readFileSync(join(options.workflowsDir, file), 'utf8')) as Workflow;
	// Sub-workflows first, so the workflows that call them can refer to their ids.
	const isSubWorkflow = (workflow: Workflow) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.executeWorkflowTrigger');
	const ordered = [...files.filter((file) => isSubWorkflow(read(file))), ...files.filter((file) => !isSubWorkflow(read(file)))];
	for (const file of ordered) {
		const workflow = prepareWorkflow(read(file), result, options);
		const body = { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings ?? {} };
		const found = existingWorkflows.find((candidate) => candidate.name === workflow.name);
		let id: string;
		if (found) {
			// Deactivate first so the new webhook paths and schedules take effect on activation.
			if (found.active) await api.deactivateWorkflow(found.id);
			id = (await api.updateWorkflow(found.id, body)).id;
			options.log(`updated workflow "${workflow.name}"`);
		} else {
			id = (await api.createWorkflow(body)).id;
			options.log(`imported workflow "${workflow.name}"`);
		}
		const activatable = options.activate && workflow.settings?.activateOnSetup !== false && hasTrigger(workflow);
		if (activatable) await api.activateWorkflow(id);
		result.workflows[workflow.name] = { id, active: activatable };
		result.urls.push(...listenUrls([workflow], options.url));
	}
	return result;
}

function hasTrigger(workflow: Workflow): boolean {
	return workflow.nodes.some((node) => /Trigger$|\.webhook$|\.scheduleTrigger$/i.test(String(node.type)) && !/manualTrigger$/.test(String(node.type)));
}

/** Wires credentials by id, applies option overrides, and drops credentials the user does not have. */
export function prepareWorkflow(
	workflow: Workflow,
	result: Pick<SetupResult, 'credentials' | 'workflows' | 'tables'>,
	options: Pick<SetupOptions, 'deliverOptions' | 'overrides' | 'dataTableLimitBytes' | 'settings'> & { url?: string },
): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	if (copy.settings) delete copy.settings.activateOnSetup;
	for (const node of copy.nodes) {
		// The JSON names its tables; setup knows their ids. By id, n8n skips a table lookup per item
		// (two queries each) and a user's table whose name contains ours cannot capture the lookup.
		const tableRef = (node.parameters as { dataTableId?: { __rl?: boolean; mode?: string; value?: string } }).dataTableId;
		if (node.type === 'n8n-nodes-base.dataTable' && tableRef?.mode === 'name' && tableRef.value && result.tables[tableRef.value]) {
			(node.parameters as Record<string, unknown>).dataTableId = { __rl: true, mode: 'list', value: result.tables[tableRef.value], cachedResultName: tableRef.value };
		}
		// The starter workflows reach n8n's API at the URL setup was given.
		const url = (node.parameters as { url?: unknown }).url;
		if (options.url && typeof url === 'string' && url.startsWith(N8N_API_URL)) {
			(node.parameters as { url: string }).url = `${options.url.replace(/\/+$/, '')}/api/v1${url.slice(N8N_API_URL.length)}`;
		}
		if (options.url && typeof url === 'string' && url.startsWith(N8N_WEBHOOK_URL)) {
			(node.parameters as { url: string }).url = `${options.url.replace(/\/+$/, '')}/webhook${url.slice(N8N_WEBHOOK_URL.length)}`;
		}
		// Calls to other starter workflows name them; this n8n knows them by id.
		const called = (node.parameters as { workflowId?: { value?: string; cachedResultName?: string } }).workflowId;
		if (node.type === 'n8n-nodes-base.executeWorkflow' && called?.cachedResultName && !called.value) {
			const target = result.workflows[called.cachedResultName];
			if (!target) throw new Error(`workflow "${workflow.name}" calls "${called.cachedResultName}", which is not among the starter workflows`);
			called.value = target.id;
		}
		const credentials = node.credentials as Record<string, { id: string; name: string }> | undefined;
		if (credentials) {
			for (const [type, reference] of Object.entries(credentials)) {
				// By type and name: the inbound and outbound signing secrets share a type.
				const id = result.credentials[credentialKey(type, reference.name)];
				if (id) credentials[type] = { id, name: reference.name };
				else delete credentials[type]; // optional ones (OAuth2, secret header) until the user adds them
			}
		}
		// Every Settings node that holds the data-table limit gets the instance's own.
		const assignments = (node.parameters as { assignments?: { assignments?: Array<{ name: string; value: unknown }> } }).assignments?.assignments;
		const settings: Record<string, number> = { ...options.settings, ...(options.dataTableLimitBytes ? { limitBytes: options.dataTableLimitBytes } : {}) };
		if (node.type === 'n8n-nodes-base.set' && assignments) {
			for (const assignment of assignments) if (settings[assignment.name] !== undefined) assignment.value = settings[assignment.name];
		}
		// The optional credentials the user has: on every node that authenticates per endpoint.
		if (node.type === DELIVER_NODE && (node.parameters as { authentication?: string }).authentication === 'perEndpoint') {
			for (const ref of OPTIONAL_CREDENTIALS) {
				const id = result.credentials[credentialKey(ref.type, ref.name)];
				if (id) node.credentials = { ...(node.credentials as object), [ref.type]: { id, name: ref.name } };
			}
		}
		if (node.type === DELIVER_NODE && Object.keys(options.deliverOptions).length > 0) {
			const parameters = node.parameters as { options?: Record<string, unknown> };
			parameters.options = { ...(parameters.options ?? {}), ...options.deliverOptions };
		}
	}
	for (const [path, value] of Object.entries(options.overrides)) {
		const [nodeName, ...parameterPath] = path.split('.');
		const node = copy.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) continue; // an override may be meant for another workflow
		let target = node.parameters as Record<string, unknown>;
		for (const part of parameterPath.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
		target[parameterPath[parameterPath.length - 1]] = value;
	}
	return copy;
}
