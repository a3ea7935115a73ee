import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './install';

// One pack folder per checkout, shared by the jest workers (each test file may run in its own process).
const PACK_DIR = path.join(os.tmpdir(), `n8n-e2e-pack-${crypto.createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 8)}`);
const SOURCES = ['nodes', 'credentials', 'icons', 'package.json', 'index.js', 'tsconfig.json', 'tsconfig.build.json', 'gulpfile.js'];

/**
 * Builds the package (`npm run build`) and packs it the way it is published; returns the tarball path.
 * The tarball is reused while it is newer than every source file; a lock keeps parallel jest
 * workers from building into the same dist at once.
 */
export function packPackage(): string {
	fs.mkdirSync(PACK_DIR, { recursive: true });
	return withLock(path.join(PACK_DIR, 'lock'), () => {
		const existing = fs.readdirSync(PACK_DIR).find((f) => f.endsWith('.tgz'));
		if (existing && fs.statSync(path.join(PACK_DIR, existing)).mtimeMs > newestSourceMtime()) return path.join(PACK_DIR, existing);
		if (existing) fs.rmSync(path.join(PACK_DIR, existing));
		run(['run', 'build']);
		// --ignore-scripts: prepack would build a second time.
		const [{ filename }] = JSON.parse(run(['pack', '--ignore-scripts', '--json', '--pack-destination', PACK_DIR])) as Array<{ filename: string }>;
		return path.join(PACK_DIR, filename);
	});
}

function run(args: string[]): string {
	try {
		return execFileSync('npm', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		throw new Error(`npm ${args.join(' ')} failed:\n${stdout}${stderr}`);
	}
}

function newestSourceMtime(): number {
	let newest = 0;
	const visit = (p: string) => {
		const stat = fs.statSync(p, { throwIfNoEntry: false });
		if (!stat) return;
		newest = Math.max(newest, stat.mtimeMs);
		if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
	};
	for (const source of SOURCES) visit(path.join(REPO_ROOT, source));
	return newest;
}

/** A directory as a cross-process lock (mkdir is atomic); a lock older than 10 minutes is stale. */
function withLock<T>(lockDir: string, fn: () => T): T {
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			break;
		} catch {
			const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (age > 10 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
			if (Date.now() > deadline) throw new Error(`could not take ${lockDir}`);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // a synchronous sleep
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}
