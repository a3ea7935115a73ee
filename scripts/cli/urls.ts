import { ACTIVITY_PATH, PACKAGE, RESEND_PATH } from '../../starter/build';
import type { Workflow } from './n8nApi';

/**
 * Where the starter workflows listen, as n8n builds the production URLs: a package trigger at
 * /webhook/<webhookId>/<its path>, n8n's Webhook node at /webhook/<path>. Kept free of n8n imports:
 * the command line runs where n8n-workflow may not be installed. A unit test pins the trigger paths
 * to the node descriptions.
 */
export const TRIGGER_PATHS: Record<string, string> = {
	[`${PACKAGE}.billingEventTrigger`]: 'billing-events',
	[`${PACKAGE}.shippingEventTrigger`]: 'shipping-events',
};

export interface ListenUrl {
	workflow: string;
	node: string;
	method: string;
	url: string;
}

export function listenUrls(workflows: Workflow[], n8nUrl: string): ListenUrl[] {
	const base = `${n8nUrl.replace(/\/+$/, '')}/webhook`;
	const urls: ListenUrl[] = [];
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			const path = TRIGGER_PATHS[String(node.type)];
			const parameters = (node.parameters ?? {}) as { path?: unknown; httpMethod?: unknown };
			if (path && typeof node.webhookId === 'string') {
				urls.push({ workflow: workflow.name, node: String(node.name), method: 'POST', url: `${base}/${node.webhookId}/${path}` });
			} else if (node.type === 'n8n-nodes-base.webhook' && typeof parameters.path === 'string') {
				urls.push({ workflow: workflow.name, node: String(node.name), method: String(parameters.httpMethod ?? 'GET'), url: `${base}/${parameters.path}` });
			}
		}
	}
	return urls;
}

/** What setup prints: the trigger URLs first (the source systems need them), then the page and the resend API. */
export function describeUrls(urls: ListenUrl[], n8nUrl: string): string[] {
	const base = `${n8nUrl.replace(/\/+$/, '')}/webhook`;
	const triggers = urls.filter((entry) => Object.values(TRIGGER_PATHS).some((path) => entry.url.endsWith(`/${path}`)));
	return [
		'Trigger URLs (give each source system its own; requests are signed with the "Source Signing Secret" credential):',
		...triggers.map((entry) => `  ${entry.node.padEnd(24)} POST ${entry.url}`),
		`Activity page: ${base}/${ACTIVITY_PATH} (sign in with the admin token)`,
		`Resend API:    POST ${base}/${RESEND_PATH} (header x-webhook-admin-token)`,
	];
}
