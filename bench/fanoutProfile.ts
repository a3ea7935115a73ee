/* eslint-disable no-console -- a profile prints its figures */
/**
 * The Deliver Webhook fan-out inside a real n8n, for profiles: 10,000 deliveries (1,000 events x 10
 * endpoints) per execution, RSS growth of n8n's main process per round, and optionally n8n run
 * under a profiler:
 *   PROFILE=cpu|heap  node .n8n-local/bench-build/bench/fanoutProfile.js [rounds] [saveData] [deliver-only|with-summary] [deliver|prepare]
 * writes n8n's .cpuprofile / .heapprofile into a temporary folder it prints (open in Chrome DevTools);
 * saveData=none runs the workflow without saving successful executions (what n8n's own saving costs).
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n, waitFor } from '../tools/harness';

const eventsCode = `const { events, prefix } = $input.first().json.body;
const out = [];
for (let i = 0; i < events; i++) out.push({ json: { id: prefix + '_' + i, type: 'invoice.created', timestamp: new Date().toISOString(), resourceId: 'inv_' + i, data: { invoice: { id: 'inv_' + i, totalAmount: 100, currencyIsoCode: 'USD' } } } });
return out;`;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main() {
	const rounds = Number(process.argv[2] ?? 3);
	const saveData = process.argv[3] ?? 'all';
	// "deliver-only": no Summary Code node after Deliver Webhook (it hands all 10,000 items to n8n's task runner).
	const summary = process.argv[4] !== 'deliver-only';
	// "prepare": the same node and the same 10,000 output items, nothing sent (what the items alone cost n8n).
	const operation = process.argv[5] === 'prepare' ? 'prepare' : 'deliver';
	const profile = process.env.PROFILE;
	const dir = path.join(os.tmpdir(), `fanout-profile-${Date.now()}`);
	fs.mkdirSync(dir, { recursive: true });
	const receiver = fork(path.join(__dirname, 'receiver.js'), ['10'], { stdio: 'inherit' });
	const ports = await new Promise<number[]>((resolve) => receiver.once('message', (m) => resolve((m as { ports: number[] }).ports)));
	const flags = profile === 'cpu' ? `--cpu-prof --cpu-prof-dir=${dir}` : profile === 'heap' ? `--heap-prof --heap-prof-dir=${dir}` : '';
	const n8n = await startN8n({ env: flags ? { NODE_OPTIONS: flags } : {} });
	try {
		const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
		const credential = await n8n.api.request('POST', '/credentials', { body: { name: 'Profile Signing', type: 'webhookSigningSecretApi', data: { secret, previousSecret: '' } } });
		const workflow = await n8n.api.createWorkflow({
			name: 'Profile: Deliver Webhook fan-out',
			nodes: [
				{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path: 'profile-deliver', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
				{ name: 'Events', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: eventsCode } },
				{
					name: 'Deliver Webhook',
					type: 'n8n-nodes-webhook-notifications.deliverWebhook',
					typeVersion: 1,
					position: [440, 0],
					parameters: { operation, eventSource: 'envelope', endpointSource: 'list', endpoints: "={{ $('Webhook').first().json.body.endpoints }}", authentication: 'none', signPayload: true, options: { allowedPrivateHosts: '127.0.0.1' } },
					credentials: { webhookSigningSecretApi: { id: credential.id, name: 'Profile Signing' } },
				},
				...(summary ? [{ name: 'Summary', type: 'n8n-nodes-base.code', typeVersion: 2, position: [660, 0], parameters: { jsCode: 'return [{ json: { n: $input.all().length } }];' } }] : []),
			],
			connections: {
				Webhook: { main: [[{ node: 'Events', type: 'main', index: 0 }]] },
				Events: { main: [[{ node: 'Deliver Webhook', type: 'main', index: 0 }]] },
				...(summary ? { 'Deliver Webhook': { main: [[{ node: 'Summary', type: 'main', index: 0 }]] } } : {}),
			},
			settings: { executionOrder: 'v1', saveDataSuccessExecution: saveData },
		} as never);
		await n8n.api.activateWorkflow(workflow.id);
		await n8n.waitForWebhook('profile-deliver');
		const endpoints = ports.map((port, i) => ({ name: `e${i}`, url: `http://127.0.0.1:${port}/e${i}`, active: true }));
		const call = async (events: number, prefix: string) => {
			const t0 = Date.now();
			const res = await fetch(`${n8n.baseUrl}/webhook/profile-deliver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events, prefix, endpoints }) });
			await res.text();
			return Date.now() - t0;
		};
		await call(200, 'warm');
		const pid = n8n.mainPid()!;
		for (let round = 0; round < rounds; round++) {
			// PAUSE_MS: idle time before each round (V8 shrinks an idle heap after a while).
			await new Promise((resolve) => setTimeout(resolve, Number(process.env.PAUSE_MS ?? 1000)));
			const before = rssMb(pid);
			let peak = before;
			const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
			const ms = await call(1000, `r${round}`);
			clearInterval(timer);
			console.log(`round ${round}: whole execution ${ms} ms, n8n RSS ${Math.round(before)} MB before, peak +${Math.round(peak - before)} MB (saveData=${saveData}${summary ? '' : ', no Summary node'}, ${operation})`);
		}
		await waitFor(async () => true, { timeoutMs: 1000 });
	} finally {
		await n8n.stop();
		receiver.send({ op: 'stop' });
	}
	if (profile) console.log(`profiles: ${dir} (${fs.readdirSync(dir).join(', ')})`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
