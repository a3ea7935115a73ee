/* eslint-disable no-console -- a profile prints its figures */
/**
 * Where the starter dispatch spends its time: one n8n, the starter workflows, the Billing dispatch
 * switched to save its runs for the duration, then one event and one batch of 100 posted; prints
 * each node's execution time (n8n's own figure) and the whole execution's. Used by `npm run bench`
 * (profileDispatch) and on its own: `node .n8n-local/bench-build/bench/profile.js`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startN8n, type N8n } from '../tools/harness';
import { addEndpoints, catalogEvent, postEvents, setUpNotifications, type Notifications } from '../tools/notifications';

export interface NodeTimes {
	events: number;
	executionMs: number;
	nodes: Array<{ node: string; ms: number; items: number }>;
}

export async function profileDispatch(n: Notifications, batchSizes = [1, 100]): Promise<NodeTimes[]> {
	const api = n.n8n.api;
	const workflowId = n.setup.workflows['Webhook Notifications: Billing dispatch'].id;
	const workflow = await api.request('GET', `/workflows/${workflowId}`);
	const put = async (settings: Record<string, unknown>) => {
		await api.deactivateWorkflow(workflowId);
		await api.request('PUT', `/workflows/${workflowId}`, { body: { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings } });
		await api.activateWorkflow(workflowId);
		await n.n8n.waitForWebhook('8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events');
	};
	await put({ ...workflow.settings, saveDataSuccessExecution: 'all' });
	const profiles: NodeTimes[] = [];
	try {
		for (const size of batchSizes) {
			const stamp = Date.now();
			const [before] = await api.listExecutions({ workflowId, limit: 1 });
			const events = Array.from({ length: size }, (_, i) => catalogEvent('invoice.created', { id: `evt_profile_${stamp}_${i}` }));
			const answer = await postEvents(n, 'billing', events);
			if (answer.status !== 202) throw new Error(`dispatch answered ${answer.status}`);
			const execution = await waitForExecution(n.n8n, workflowId, before?.id);
			const runData = execution.data!.resultData.runData as Record<string, Array<{ executionTime: number; data?: { main: Array<unknown[] | null> } }>>;
			const nodes = Object.entries(runData)
				.map(([node, runs]) => ({
					node,
					ms: runs.reduce((sum, run) => sum + run.executionTime, 0),
					items: runs.reduce((sum, run) => sum + (run.data?.main ?? []).reduce((count, out) => count + (out?.length ?? 0), 0), 0),
				}))
				.sort((a, b) => b.ms - a.ms);
			const executionMs = new Date(execution.stoppedAt!).getTime() - new Date(execution.startedAt!).getTime();
			profiles.push({ events: size, executionMs, nodes });
			console.log(`  one execution with ${size} event(s): ${executionMs} ms in all`);
			for (const entry of nodes) console.log(`    ${entry.node.padEnd(34)} ${String(entry.ms).padStart(6)} ms  ${String(entry.items).padStart(5)} items out`);
		}
	} finally {
		await put(workflow.settings);
	}
	return profiles;
}

async function waitForExecution(n8n: N8n, workflowId: string, previousId: string | undefined) {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		const [latest] = await n8n.api.listExecutions({ workflowId, includeData: true, limit: 1 });
		if (latest && latest.id !== previousId && latest.finished && latest.stoppedAt) return latest;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error('the profiled execution did not finish within 2 minutes');
}

async function main() {
	const server = http.createServer((req, res) => req.resume().on('end', () => res.end('ok')));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const n8n = await startN8n();
	try {
		const n = await setUpNotifications(n8n);
		await addEndpoints(n, [{ name: 'profile', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/profile` }]);
		await profileDispatch(n);
	} finally {
		await n8n.stop();
		server.close();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
