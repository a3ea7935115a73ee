import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { installPaths } from './install';

/** One running n8n command (main, worker or webhook) and everything it started, as one process group. */
export interface N8nProcess {
	readonly pid: number;
	readonly logFile: string;
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	isRunning(): boolean;
	/** SIGTERM, then SIGKILL after `graceMs`; resolves when no process of the group is left. */
	stop(graceMs?: number): Promise<void>;
	/** Signals the whole group, e.g. SIGKILL to simulate a crash. */
	kill(signal?: NodeJS.Signals): void;
}

/**
 * A tiny process that kills an n8n process group once the test process is gone (killed, crashed,
 * or exited after a test gave up), then exits; it also exits when the group is gone. Done outside
 * the test process because jest's sandboxed `process` never sees an 'exit' event.
 */
const WATCHDOG = `
const [testPid, pgid] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
setInterval(() => {
	if (!alive(-pgid)) process.exit(0);
	if (!alive(testPid)) { try { process.kill(-pgid, 'SIGKILL'); } catch {} process.exit(0); }
}, 500);
`;
function watch(pgid: number): void {
	spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(pgid)], { detached: true, stdio: 'ignore' }).unref();
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false; // ESRCH: nothing left in the group
	}
}

/** Starts `n8n <args>` with the Node 24 from the install, in its own process group, output appended to logFile. */
export function spawnN8n(installDir: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): N8nProcess {
	const { node, n8nBin } = installPaths(installDir);
	fs.appendFileSync(logFile, `\n===== ${new Date().toISOString()} n8n ${args.join(' ')}\n`);
	const out = fs.openSync(logFile, 'a');
	// detached: a new process group, so the task runners n8n starts can be stopped along with it.
	const child = spawn(node, [n8nBin, ...args], { env, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	// A test that gives up (a beforeAll timeout) must not keep the test process alive; the watchdog then stops n8n.
	child.unref();
	const pid = child.pid!;
	watch(pid);
	let running = true;
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('exit', (code, signal) => {
			running = false;
			// Children (task runners) may outlive the main process: nothing of the group stays behind.
			signalGroup(pid, 'SIGKILL');
			resolve({ code, signal });
		});
	});
	return {
		pid,
		logFile,
		exited,
		isRunning: () => running,
		kill: (signal = 'SIGKILL') => void signalGroup(pid, signal),
		async stop(graceMs = 20_000) {
			if (!running) return;
			signalGroup(pid, 'SIGTERM');
			const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Polls `check` until it returns something other than undefined/false. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const result = await check();
			if (result !== undefined && result !== false) return result;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** The end of a log file, for error messages. */
export function logTail(logFile: string, lines = 40): string {
	try {
		return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}
