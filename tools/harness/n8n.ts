import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PublicApi } from './api';
import { installPackageFiles, registerPackageInPostgres, registerPackageInSqlite } from './communityPackage';
import { ensureN8nInstalled, installPaths } from './install';
import { packPackage } from './pack';
import { freePort, logTail, spawnN8n, waitFor, type N8nProcess } from './process';

export interface StartN8nOptions {
	/** Package tarball to install as a community package; default: packPackage(). null: none. */
	tarball?: string | null;
	/** A user folder from an earlier startN8n (started with keepUserFolder): its database, owner and API key are reused. */
	reuseUserFolder?: string;
	/** Keep a fresh user folder after stop() (it is removed by default; the log file stays either way). */
	keepUserFolder?: boolean;
	/** Where to create a fresh user folder (default: a new temporary folder). It must not exist yet. */
	userFolder?: string;
	/** The port to serve on (default: a free one). */
	port?: number;
	/**
	 * Extra environment for every n8n process of this handle, e.g. EXECUTIONS_MODE=queue and
	 * QUEUE_BULL_REDIS_HOST/PORT for queue mode with spawn('worker') (see services.ts: queueModeEnv). The package is
	 * registered in SQLite or, with DB_TYPE=postgresdb, in PostgreSQL.
	 */
	env?: Record<string, string>;
	/** Per start; a fresh SQLite database is ready in about 7 s here. */
	readyTimeoutMs?: number;
}

/** A running n8n: the main process, plus workers/webhook processes spawned from it. */
export interface N8n {
	readonly baseUrl: string;
	readonly apiKey: string;
	readonly userFolder: string;
	/** The main process's output (all its starts), next to the user folder; workers log next to it. */
	readonly logFile: string;
	readonly installDir: string;
	/** The environment every process of this handle gets. */
	readonly env: NodeJS.ProcessEnv;
	readonly api: PublicApi;
	/** Milliseconds spent in each step of startN8n. */
	readonly timings: Record<string, number>;
	/** The owner's internal REST API (/rest/...), with the owner's session cookie. */
	rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T>;
	/** Node types n8n has loaded (its /types/nodes.json: one entry per node version). */
	loadedNodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; group: string[] }>>;
	/** Credential types n8n has loaded (its /types/credentials.json). */
	loadedCredentialTypes(): Promise<Array<{ name: string; displayName: string }>>;
	/**
	 * Resolves once a production webhook path is registered (or, with registered: false, removed).
	 * Activating and deactivating answer before n8n has changed its webhooks (about 0.1 s here).
	 * Probes with `probeMethod`, which must be a method the webhook does not listen to.
	 */
	waitForWebhook(webhookPath: string, opts?: { registered?: boolean; probeMethod?: string; timeoutMs?: number }): Promise<void>;
	/** Starts `n8n worker` or `n8n webhook` with this handle's environment (queue mode). */
	spawn(command: 'worker' | 'webhook', env?: Record<string, string>): Promise<N8nProcess>;
	/** Stops every process of this handle (nothing is left running, even when n8n does not shut down), then removes a fresh user folder unless kept. */
	stop(): Promise<void>;
	/** The main process's pid (for resource measurements), while it runs. */
	mainPid(): number | undefined;
	/** Signals the main process group only (default SIGKILL: a crash). */
	kill(signal?: NodeJS.Signals): void;
	/** Stops (if still running) and starts the main process again on the same port and folder. */
	restart(): Promise<void>;
}

export const OWNER = { email: 'owner@e2e.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Passw0rd' };
const STATE_FILE = 'e2e-state.json';

/**
 * Starts a real n8n with the package installed the way a user's community-node install leaves it,
 * an owner, and an API key with every scope. Call stop() in afterAll.
 */
export async function startN8n(opts: StartN8nOptions = {}): Promise<N8n> {
	const timings: Record<string, number> = {};
	const timed = async <T>(step: string, fn: () => T | Promise<T>): Promise<T> => {
		const t0 = Date.now();
		try {
			return await fn();
		} finally {
			timings[step] = Date.now() - t0;
		}
	};
	const installDir = await timed('install', ensureN8nInstalled);
	const reuse = opts.reuseUserFolder !== undefined;
	const userFolder = opts.reuseUserFolder ?? (opts.userFolder ? (fs.mkdirSync(opts.userFolder, { recursive: true }), opts.userFolder) : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-')));
	const logFile = `${userFolder}.log`; // outside the folder, so it outlives its removal
	const port = opts.port ?? (await freePort());
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = await n8nEnv(installDir, userFolder, port, opts.env);
	const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
	const processes: N8nProcess[] = [];
	let main: N8nProcess | undefined;

	const startMain = async () => {
		main = spawnN8n(installDir, ['start'], env, logFile);
		await waitUntilReady(baseUrl, main, readyTimeoutMs);
	};
	const stopAll = async () => {
		await Promise.all(processes.map((p) => p.stop()));
		await main?.stop();
	};

	try {
		if (!reuse && opts.tarball !== null) {
			const tarball = opts.tarball ?? (await timed('pack', packPackage));
			const pkg = await timed('installPackage', () => installPackageFiles(userFolder, tarball));
			// The tables to register in exist once n8n has migrated a fresh database: start, stop, register.
			await timed('firstStart', startMain);
			await timed('firstStop', () => main!.stop());
			await timed('register', () =>
				env.DB_TYPE === 'postgresdb'
					? registerPackageInPostgres(installDir, pkg.dir, Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('DB_POSTGRESDB_'))) as Record<string, string>)
					: registerPackageInSqlite(installDir, userFolder, pkg.dir),
			);
		}
		await timed('start', startMain);
		const session = await timed('provision', () => provision(baseUrl, userFolder, reuse));
		const api = new PublicApi(baseUrl, session.apiKey);
		let cookie = session.cookie;
		fs.appendFileSync(logFile, `\n===== e2e timings (ms): ${JSON.stringify(timings)}\n`);
		return {
			baseUrl,
			apiKey: session.apiKey,
			userFolder,
			logFile,
			installDir,
			env,
			api,
			timings,
			rest: async (method, restPath, body) => (await call(baseUrl, method, `/rest${restPath}`, body, cookie))?.data,
			loadedNodeTypes: async () => await call(baseUrl, 'GET', '/types/nodes.json', undefined, cookie),
			loadedCredentialTypes: async () => await call(baseUrl, 'GET', '/types/credentials.json', undefined, cookie),
			async waitForWebhook(webhookPath, { registered = true, probeMethod = 'PATCH', timeoutMs = 30_000 } = {}) {
				await waitFor(
					async () => {
						const res = await fetch(`${baseUrl}/webhook/${webhookPath}`, { method: probeMethod });
						// A 404 "not registered for PATCH requests" means the path exists for other methods.
						const exists = res.status !== 404 || (await res.text()).includes('is not registered for');
						return exists === registered;
					},
					{ timeoutMs, intervalMs: 50, what: `production webhook ${webhookPath} ${registered ? 'registered' : 'removed'}` },
				);
			},
			async spawn(command, extraEnv = {}) {
				const n = processes.length + 1;
				// Each process needs its own ports: the webhook process serves on N8N_PORT, every process runs a task broker.
				const ports = { N8N_PORT: String(await freePort()), N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()) };
				const p = spawnN8n(installDir, [command], { ...env, ...ports, ...extraEnv }, `${userFolder}.${command}-${n}.log`);
				processes.push(p);
				return p;
			},
			async stop() {
				await stopAll();
				if (!reuse && !opts.keepUserFolder) fs.rmSync(userFolder, { recursive: true, force: true });
			},
			mainPid: () => (main?.isRunning() ? main.pid : undefined),
			kill: (signal = 'SIGKILL') => main?.kill(signal),
			async restart() {
				await main?.stop();
				await startMain();
				cookie = await login(baseUrl);
			},
		};
	} catch (error) {
		await stopAll();
		(error as Error).message += `\n(n8n log: ${logFile})\n${logTail(logFile)}`;
		throw error;
	}
}

/** Variables of the test process that would change what n8n does; the rest (CA certificates, proxies) passes through. */
const NOT_INHERITED = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|JEST_|npm_)/;

/** The recipe's environment (/work/shared/n8n-e2e.md), on loopback. */
async function n8nEnv(installDir: string, userFolder: string, port: number, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NOT_INHERITED.test(key)));
	return {
		...inherited,
		// Node 24 first: n8n starts its task runner as plain `node`.
		PATH: `${installPaths(installDir).nodeBinDir}:${process.env.PATH}`,
		// As n8n's Docker image has it. Unset means "development" to n8n (stack traces in responses, CORS), "test" (jest's) changes more.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`, // the URLs nodes see (WEBHOOK_URL is deprecated in 2.x)
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...extra,
	};
}

/** /healthz answers before the database is migrated; /healthz/readiness only once n8n is fully up. */
async function waitUntilReady(baseUrl: string, proc: N8nProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!proc.isRunning()) throw new Error(`n8n exited before it was ready: ${JSON.stringify(await proc.exited)}`);
		const res = await fetch(`${baseUrl}/healthz/readiness`).catch(() => undefined);
		if (res?.status === 200) return;
		if (Date.now() > deadline) throw new Error(`n8n was not ready after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Owner, session and API key: created on a fresh folder, read back from the state file when reused. */
async function provision(baseUrl: string, userFolder: string, reuse: boolean): Promise<{ apiKey: string; cookie: string }> {
	const stateFile = path.join(userFolder, STATE_FILE);
	if (reuse && fs.existsSync(stateFile)) {
		const { apiKey } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
		return { apiKey, cookie: await login(baseUrl) };
	}
	await call(baseUrl, 'POST', '/rest/owner/setup', OWNER);
	const cookie = await login(baseUrl);
	const { data: scopes } = await call(baseUrl, 'GET', '/rest/api-keys/scopes', undefined, cookie);
	const { data: key } = await call(baseUrl, 'POST', '/rest/api-keys', { label: 'e2e', scopes, expiresAt: null }, cookie);
	const apiKey = key.rawApiKey as string;
	fs.writeFileSync(stateFile, JSON.stringify({ owner: OWNER, apiKey }, null, 2));
	return { apiKey, cookie };
}

async function login(baseUrl: string): Promise<string> {
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!res.ok) throw new Error(`login -> ${res.status} ${await res.text()}`);
	const auth = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error('login set no n8n-auth cookie');
	return auth.split(';')[0];
}

async function call(baseUrl: string, method: string, urlPath: string, body?: unknown, cookie?: string): Promise<any> {
	const res = await fetch(`${baseUrl}${urlPath}`, {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${urlPath} -> ${res.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}
