import path from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { findEventType, sampleEvent } from '../nodes/shared/event/catalog';
import { completeSecrets, setup, type SetupResult } from '../scripts/cli/setup';
import { TABLE } from '../starter';
import { REPO_ROOT, type DataTableRow, type N8n, type RowFilter } from './harness';

/**
 * The package set up in a real n8n the way a user does it: the setup command against the public
 * API, then endpoint rows in the endpoints table. Shared by the end-to-end suites.
 */
export interface Notifications {
	n8n: N8n;
	secrets: ReturnType<typeof completeSecrets>;
	setup: SetupResult;
	tableId: Record<keyof typeof TABLE, string>;
	/** Production URLs of the two dispatch triggers, the resend webhook and the activity page. */
	url: { billing: string; shipping: string; resend: string; activity: string };
}

export interface SetUpOptions {
	/** Seconds between runs of the retry workflow (30 in the starter workflow). */
	retryEverySeconds?: number;
	/** Options for every Deliver Webhook node (private and plain http are allowed for the loopback receivers). */
	deliverOptions?: Record<string, string | number | boolean>;
	overrides?: Record<string, unknown>;
	/** The instance's N8N_DATA_TABLES_MAX_SIZE_BYTES, when the test sets one. */
	dataTableLimitBytes?: number;
	/** Values for the workflows' Settings nodes, by name. */
	settings?: Record<string, number>;
	/** Credentials to create before setup, so that setup wires them: name → { type, data }. */
	credentials?: Record<string, { type: string; data: Record<string, unknown> }>;
}

/** The loopback hosts the suites' receivers use. */
export const LOOPBACK_HOSTS = '127.0.0.1, ::1, localhost';

export async function setUpNotifications(n8n: N8n, options: SetUpOptions = {}): Promise<Notifications> {
	for (const [name, { type, data }] of Object.entries(options.credentials ?? {})) {
		// Node-level credentials are bound to hosts: the suites' receivers listen on loopback.
		const bound = type === 'webhookOAuth2Api' || type === 'webhookSecretHeaderApi' ? { allowedHosts: LOOPBACK_HOSTS, ...data } : data;
		await n8n.api.request('POST', '/credentials', { body: { name, type, data: bound } });
	}
	const secrets = completeSecrets({});
	const result = await setup({
		url: n8n.baseUrl,
		apiKey: n8n.apiKey,
		workflowsDir: path.join(REPO_ROOT, 'workflows'),
		activate: true,
		// What setup's --allow-private-hosts and --allow-http-hosts give: the starter workflows require https otherwise.
		deliverOptions: { allowedPrivateHosts: '127.0.0.1', allowedHttpHosts: LOOPBACK_HOSTS, ...options.deliverOptions },
		overrides: {
			'Every 30 Seconds.rule': { interval: [{ field: 'seconds', secondsInterval: options.retryEverySeconds ?? 30 }] },
			...options.overrides,
		},
		secrets,
		dataTableLimitBytes: options.dataTableLimitBytes,
		settings: options.settings,
		log: () => undefined,
	});
	const tableId = Object.fromEntries(Object.entries(TABLE).map(([key, name]) => [key, result.tables[name]])) as Notifications['tableId'];
	const url = {
		billing: `${n8n.baseUrl}/webhook/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events`,
		shipping: `${n8n.baseUrl}/webhook/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02/shipping-events`,
		resend: `${n8n.baseUrl}/webhook/webhook-notifications/resend`,
		activity: `${n8n.baseUrl}/webhook/webhook-notifications/activity`,
	};
	await n8n.waitForWebhook('8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events');
	await n8n.waitForWebhook('8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a02/shipping-events');
	await n8n.waitForWebhook('webhook-notifications/resend', { probeMethod: 'PATCH' });
	await n8n.waitForWebhook('webhook-notifications/activity/api', { probeMethod: 'PATCH' });
	return { n8n, secrets, setup: result, tableId, url };
}

export interface EndpointRow {
	name: string;
	url: string;
	eventTypes?: string;
	channels?: string;
	active?: boolean;
	authentication?: 'none' | 'secretHeader' | 'oauth2';
	description?: string;
}

export async function addEndpoints(n: Notifications, rows: EndpointRow[]): Promise<DataTableRow[]> {
	return n.n8n.api.insertRows(
		n.tableId.endpoints,
		rows.map((row) => ({ eventTypes: '*', channels: '', active: true, authentication: 'none', description: '', ...row })),
	);
}

/** An event of the catalog with its sample data. */
export function catalogEvent(type: string, fields: { id?: string; resourceId?: string; channels?: string[] } = {}) {
	const definition = findEventType(type);
	if (!definition) throw new Error(`no event type ${type} in the catalog`);
	const sample = sampleEvent(definition);
	return { ...sample, id: fields.id ?? sample.id, resourceId: fields.resourceId ?? sample.resourceId, channels: fields.channels ?? [], timestamp: new Date().toISOString() };
}

let messageCounter = 0;

/** Posts events to a trigger as a source system does: JSON, signed with the source signing secret. */
export async function postEvents(n: Notifications, system: 'billing' | 'shipping', events: unknown, opts: { sign?: boolean } = {}) {
	const body = JSON.stringify(events);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (opts.sign !== false) {
		const id = `msg_${process.pid}_${++messageCounter}`;
		const timestamp = new Date();
		headers['webhook-id'] = id;
		headers['webhook-timestamp'] = String(Math.floor(timestamp.getTime() / 1000));
		headers['webhook-signature'] = new StandardWebhook(n.secrets.sourceSigningSecret).sign(id, timestamp, body);
	}
	const response = await fetch(n.url[system], { method: 'POST', headers, body });
	const answer = { status: response.status, body: parseBody(await response.text()) };
	// The headers ride along out of sight, so answers still compare as { status, body }.
	return Object.defineProperty(answer, 'headers', { value: response.headers, enumerable: false }) as typeof answer & { headers: Headers };
}

export async function resend(n: Notifications, request: Record<string, unknown>, token = n.secrets.adminToken) {
	const response = await fetch(n.url.resend, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-webhook-admin-token': token },
		body: JSON.stringify(request),
	});
	return { status: response.status, body: parseBody(await response.text()) };
}

export function rows(n: Notifications, table: keyof typeof TABLE, filter?: RowFilter['filters']): Promise<DataTableRow[]> {
	return n.n8n.api.listRows(n.tableId[table], { filter: filter && { filters: filter }, sortBy: 'id:asc' });
}

/** JSON when the answer is JSON, else the text (n8n's own refusals are plain text). */
function parseBody(text: string): any {
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return text;
	}
}

/**
 * Every delivery as it stands, one per delivery id: finished ones from the delivery log, the others
 * from the outbox (a delivery is briefly in both while it moves: the log row wins).
 */
export async function deliveries(n: Notifications, filter?: RowFilter['filters']): Promise<DataTableRow[]> {
	const [open, finished] = await Promise.all([rows(n, 'outbox', filter), rows(n, 'deliveries', filter)]);
	const byId = new Map<string, DataTableRow>();
	for (const row of [...open, ...finished]) byId.set(row.deliveryId as string, row);
	return [...byId.values()];
}

/** A delivery row's attempts (the row itself describes a single attempt; more are in its attempt log). */
export function attemptsOf(row: DataTableRow): Array<{ n: number; at: string; code: number | null; by?: string }> {
	const stored = row.attemptLog ? (JSON.parse(row.attemptLog as string) as Array<{ n: number; at: string; code: number | null; by?: string }>) : [];
	if (stored.length > 0 || !row.attempts) return stored;
	return [{ n: 1, at: row.lastAttemptAt as string, code: row.responseCode as number | null }];
}
