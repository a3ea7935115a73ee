import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nApi, type Workflow } from './n8nApi';
import { tables } from './tables';

const PACKAGE = 'n8n-nodes-webhook-notifications';
const DELIVER_NODE = `${PACKAGE}.deliverWebhook`;

/** The credential types the starter workflows use, and the name each gets when setup creates it. */
const credentialTypes = {
	webhookSigningSecretApi: 'Webhook Signing Secret',
	webhookOAuth2Api: 'Webhook OAuth2',
	webhookSecretHeaderApi: 'Webhook Secret Header',
} as const;
type CredentialType = keyof typeof credentialTypes;

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
	log: (line: string) => void;
}

export interface SetupResult {
	tables: Record<string, string>;
	workflows: Record<string, { id: string; active: boolean }>;
	credentials: Partial<Record<CredentialType, string>>;
}

/** Creates the tables and imports the starter workflows; running it again updates in place. */
export async function setup(options: SetupOptions): Promise<SetupResult> {
	const api = new N8nApi(options.url, options.apiKey);
	const result: SetupResult = { tables: {}, workflows: {}, credentials: {} };

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

	const existingCredentials = await api.credentials();
	for (const type of Object.keys(credentialTypes) as CredentialType[]) {
		const found = existingCredentials.find((credential) => credential.type === type);
		if (found) result.credentials[type] = found.id;
	}
	if (!result.credentials.webhookSigningSecretApi) {
		// Receivers need this secret to verify signatures: it is shown in n8n's credential editor, not printed here.
		const created = await api.createCredential(credentialTypes.webhookSigningSecretApi, 'webhookSigningSecretApi', {
			secret: `whsec_${randomBytes(32).toString('base64')}`,
			previousSecret: '',
		});
		result.credentials.webhookSigningSecretApi = created.id;
		options.log(`created credential "${credentialTypes.webhookSigningSecretApi}"`);
	}

	const existingWorkflows = await api.workflows();
	for (const file of readdirSync(options.workflowsDir).filter((name) => name.endsWith('.json')).sort()) {
		const workflow = prepareWorkflow(JSON.parse(readFileSync(join(options.workflowsDir, file), 'utf8')) as Workflow, result, options);
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
	}
	return result;
}

function hasTrigger(workflow: Workflow): boolean {
	return workflow.nodes.some((node) => /Trigger$|\.webhook$|\.scheduleTrigger$/i.test(String(node.type)) && !/manualTrigger$/.test(String(node.type)));
}

/** Wires credentials by id, applies option overrides, and drops credentials the user does not have. */
export function prepareWorkflow(workflow: Workflow, result: Pick<SetupResult, 'credentials'>, options: Pick<SetupOptions, 'deliverOptions' | 'overrides'>): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	if (copy.settings) delete copy.settings.activateOnSetup;
	for (const node of copy.nodes) {
		const credentials = node.credentials as Record<string, { id: string; name: string }> | undefined;
		if (credentials) {
			for (const type of Object.keys(credentials)) {
				const id = result.credentials[type as CredentialType];
				if (id) credentials[type] = { id, name: credentialTypes[type as CredentialType] ?? credentials[type].name };
				else delete credentials[type];
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
