import fs from 'node:fs';
import path from 'node:path';

import type { N8n } from '../../../tools/harness';
import { rows, type Notifications } from '../../../tools/notifications';

export interface SecretScan {
	findings: string[];
	scannedRows: number;
	scannedExecutions: number;
	scannedLogBytes: number;
}

/**
 * Looks for each secret, verbatim, in every row of the log tables, every saved execution of every
 * workflow (with its data) and every log file of this n8n (main process and workers).
 */
export async function scanForSecrets(n8n: N8n, n: Notifications, secrets: string[]): Promise<SecretScan> {
	const result: SecretScan = { findings: [], scannedRows: 0, scannedExecutions: 0, scannedLogBytes: 0 };
	const scan = (where: string, text: string) => {
		for (const secret of secrets) if (secret && text.includes(secret)) result.findings.push(`${where} contains ${secret.slice(0, 6)}…`);
	};
	for (const table of ['endpoints', 'events', 'eventKeys', 'outbox', 'deliveries'] as const) {
		const all = await rows(n, table);
		result.scannedRows += all.length;
		scan(`table ${table}`, JSON.stringify(all));
	}
	for (const workflow of await n8n.api.listWorkflows()) {
		const executions = await n8n.api.listExecutions({ workflowId: workflow.id, includeData: true, limit: 250 });
		result.scannedExecutions += executions.length;
		for (const execution of executions) scan(`execution ${execution.id} of "${workflow.name}"`, JSON.stringify(execution));
	}
	const dir = path.dirname(n8n.logFile);
	const prefix = path.basename(n8n.logFile).replace(/\.log$/, '');
	for (const file of fs.readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.log'))) {
		const text = fs.readFileSync(path.join(dir, file), 'utf8');
		result.scannedLogBytes += text.length;
		scan(`log ${file}`, text);
	}
	return result;
}
