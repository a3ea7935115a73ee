import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './install';
import { freePort, waitFor } from './process';

/**
 * Private PostgreSQL and Redis instances for n8n's queue mode, from Debian's packages
 * (scripts/services/install.sh installs them when missing): bound to 127.0.0.1 on free ports,
 * data in temporary folders, stopped and removed by stop().
 */
export interface Service {
	port: number;
	stop(): Promise<void>;
}

export function installServices(): void {
	execFileSync('bash', [path.join(REPO_ROOT, 'scripts/services/install.sh')], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
}

function postgresBin(name: string): string {
	const root = '/usr/lib/postgresql';
	const version = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
	return path.join(root, version, 'bin', name);
}

/** PostgreSQL refuses to run as root: as root, run it as the postgres user the Debian package creates. */
function asPostgres(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<Service & { database: string; user: string }> {
	installServices();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pg-'));
	const data = path.join(dir, 'data');
	if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const run = (command: string, args: string[]) => {
		const [bin, argv] = asPostgres(command, args);
		return execFileSync(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
	};
	run(postgresBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
	run(postgresBin('pg_ctl'), ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=200 -c fsync=off`, 'start']);
	run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n']);
	return {
		port,
		database: 'n8n',
		user: 'postgres',
		async stop() {
			try {
				run(postgresBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}

export async function startRedis(): Promise<Service> {
	installServices();
	const port = await freePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	await waitFor(() => output.includes('Ready to accept connections') || (child.exitCode !== null ? Promise.reject(new Error(output)) : false), {
		timeoutMs: 30_000,
		what: 'redis to start',
	});
	return {
		port,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

/** The environment n8n's processes need for queue mode with these services. */
/** n8n's settings for its database on the given PostgreSQL. */
export function postgresEnv(postgres: Awaited<ReturnType<typeof startPostgres>>): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
	};
}

export function queueModeEnv(postgres: Awaited<ReturnType<typeof startPostgres>>, redis: Service): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		...postgresEnv(postgres),
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Every process must share the key that encrypts credentials.
		N8N_ENCRYPTION_KEY: 'e2e-queue-mode-encryption-key-0123456789',
		// Workers run executions; the main process only takes webhooks and schedules.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_LEVEL: 'info',
	};
}
