/* eslint-disable no-console -- the main job talks to its user on the console */
/**
 * `npm start`: a local n8n with this package installed as a community package, the tables and the
 * starter workflows in place and active, and a small receiver that prints what it gets. State
 * lives in .n8n-local/ (delete it to start over); Ctrl-C stops everything.
 */
import fs from 'node:fs';
import path from 'node:path';

import { completeSecrets, setup, type SetupSecrets } from './cli/setup';
import { ACTIVITY_PATH, TABLE } from '../starter';
import { OWNER, REPO_ROOT, startN8n } from '../tools/harness';
import { installPackageFiles } from '../tools/harness/communityPackage';
import { packPackage } from '../tools/harness/pack';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

const LOCAL = path.join(REPO_ROOT, '.n8n-local');
const USER_FOLDER = path.join(LOCAL, 'n8n');
const SECRETS_FILE = path.join(LOCAL, 'webhook-notifications.secrets.json');
const PORT = Number(process.env.PORT ?? 5678);
const RECEIVER_NAME = 'local receiver';

async function main() {
	fs.mkdirSync(LOCAL, { recursive: true });
	const reuse = fs.existsSync(path.join(USER_FOLDER, 'e2e-state.json'));
	console.log(reuse ? `Starting the local n8n in ${path.relative(REPO_ROOT, USER_FOLDER)} ...` : 'First start: installing n8n (a few minutes, once), then setting it up ...');
	if (reuse) installPackageFiles(USER_FOLDER, await packPackage()); // the package as built now
	if (!reuse) fs.rmSync(USER_FOLDER, { recursive: true, force: true }); // a folder left by an interrupted first start
	const n8n = await startN8n(reuse ? { reuseUserFolder: USER_FOLDER, port: PORT } : { userFolder: USER_FOLDER, keepUserFolder: true, port: PORT });
	try {
		await serve(n8n);
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

async function serve(n8n: Awaited<ReturnType<typeof startN8n>>) {

	const stored: SetupSecrets = fs.existsSync(SECRETS_FILE) ? JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8')) : {};
	const secrets = completeSecrets(stored);
	fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });

	const receiver = await startReceiver(secrets.signingSecret);
	const result = await setup({
		url: n8n.baseUrl,
		apiKey: n8n.apiKey,
		workflowsDir: path.join(REPO_ROOT, 'workflows'),
		activate: true,
		deliverOptions: { allowedPrivateHosts: '127.0.0.1', allowedHttpHosts: '127.0.0.1, localhost' },
		overrides: {},
		secrets,
		log: (line) => console.log(`  setup: ${line}`),
	});

	// The receiver's port changes between starts: keep one endpoint row for it, pointing at it now.
	const endpoints = result.tables[TABLE.endpoints];
	const [existing] = await n8n.api.listRows(endpoints, { filter: { filters: [{ columnName: 'name', condition: 'eq', value: RECEIVER_NAME }] } });
	const row = { name: RECEIVER_NAME, url: receiver.url('/webhooks'), eventTypes: '*', channels: '', active: true, authentication: 'none', description: 'Prints what it receives in the npm start console' };
	if (existing) {
		await n8n.api.request('PATCH', `/data-tables/${endpoints}/rows/update`, {
			body: { filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: existing.id }] }, data: row },
		});
	} else {
		await n8n.api.insertRows(endpoints, [row]);
	}

	const triggerUrl = `${n8n.baseUrl}/webhook/8c6f0d0e-5a51-4d1b-9a8e-2f1b7d0c1a01/billing-events`;
	console.log(`
n8n is running with n8n-nodes-webhook-notifications.

  Editor:   ${n8n.baseUrl}
  Login:    ${OWNER.email} / ${OWNER.password}   (a local, throw-away owner)
  Activity: ${n8n.baseUrl}/webhook/${ACTIVITY_PATH} (sign in with the admin token from the secrets file)
  Receiver: ${receiver.url('/webhooks')} (endpoint "${RECEIVER_NAME}" in the ${TABLE.endpoints} table)
  Secrets:  ${path.relative(process.cwd(), SECRETS_FILE)} (signing, source signing, admin token; readable by you only)

Fire a sample event (signed the way a source system signs it, with this instance's source signing secret):

  node dist/scripts/cli/index.js send-sample invoice.paid --url '${triggerUrl}' --secret-file ${path.relative(process.cwd(), SECRETS_FILE)}

The answer is 202 with the accepted event id; this console then prints what the receiver got, and
the delivery is in the editor under Overview > Data tables > ${TABLE.deliveries} (its attempts inside the row;
deliveries still in flight are in ${TABLE.outbox}).

Ctrl-C stops n8n and the receiver; the next npm start picks up where this one left off.
`);

	const stop = async () => {
		console.log('\nstopping ...');
		await n8n.stop();
		await receiver.stop();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

/** A receiver on loopback that prints each webhook it gets and whether its signature verifies. */
async function startReceiver(signingSecret: string) {
	const verifier = new Webhook(signingSecret);
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			let verified = 'signature valid';
			try {
				verifier.verify(body, req.headers as Record<string, string>);
			} catch {
				verified = 'SIGNATURE INVALID';
			}
			const event = safeJson(body);
			console.log(`receiver: ${event?.type ?? '?'} ${event?.id ?? ''} webhook-id=${req.headers['webhook-id']} (${verified})`);
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(Number(process.env.RECEIVER_PORT ?? 0), '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (p: string) => `http://127.0.0.1:${port}${p}`,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function safeJson(text: string): { id?: string; type?: string } | undefined {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

main().catch((error) => {
	console.error(`npm start failed: ${(error as Error).message}`);
	process.exit(1);
});
