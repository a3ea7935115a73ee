import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { envWithoutNpmConfig, installPaths } from './install';

/**
 * Puts a package tarball where n8n 2.41.1's own community-package install leaves it
 * (CommunityPackagesService.downloadPackage): unpacked into <userFolder>/.n8n/nodes/node_modules/<name>,
 * dev/peer/optional dependencies dropped from its package.json, runtime dependencies installed
 * with n8n's npm flags, and the package listed in <userFolder>/.n8n/nodes/package.json.
 */
export function installPackageFiles(userFolder: string, tarball: string): { name: string; version: string; dir: string } {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const staging = fs.mkdtempSync(path.join(nodesDir, '.unpack-')); // the name is known only once unpacked
	execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	const packageJson = JSON.parse(fs.readFileSync(path.join(staging, 'package.json'), 'utf8'));
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete packageJson[key];
	const dir = path.join(nodesDir, 'node_modules', packageJson.name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	fs.renameSync(staging, dir);
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	execFileSync(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: dir, env: envWithoutNpmConfig(), stdio: ['ignore', 'pipe', 'pipe'] },
	);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageJson.name]: packageJson.version } }, null, 2),
	);
	return { name: packageJson.name, version: packageJson.version, dir };
}

/**
 * Records an unpacked package in n8n's SQLite database the way a Settings > Community nodes install does
 * (InstalledPackagesRepository.persistPackageWithNodes). n8n loads the nodes from the folder either way;
 * the rows make the package "installed" (listed, updatable, not reinstalled).
 * Runs n8n-core's own PackageDirectoryLoader and sqlite3 from the n8n install under Node 24, with n8n stopped.
 */
export function registerPackageInSqlite(installDir: string, userFolder: string, packageDir: string): Array<{ type: string; name: string; latestVersion: number }> {
	return registerPackage(installDir, packageDir, { DB_TYPE: 'sqlite', DB_FILE: path.join(userFolder, '.n8n', 'database.sqlite') });
}

/**
 * The same rows in n8n's PostgreSQL database (queue mode), with the pg client n8n itself uses;
 * dbEnv holds n8n's DB_POSTGRESDB_* settings.
 */
export function registerPackageInPostgres(installDir: string, packageDir: string, dbEnv: Record<string, string>): Array<{ type: string; name: string; latestVersion: number }> {
	return registerPackage(installDir, packageDir, { ...dbEnv, DB_TYPE: 'postgresdb' });
}

function registerPackage(installDir: string, packageDir: string, dbEnv: Record<string, string>): Array<{ type: string; name: string; latestVersion: number }> {
	const { node, nodeModules } = installPaths(installDir);
	const script = `
const [packageDir] = process.argv.slice(1);
const { PackageDirectoryLoader } = require('n8n-core');
(async () => {
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	const { name, version, author } = loader.packageJson;
	const nodes = loader.loadedNodes.map((n) => ({
		name: loader.nodeTypes[n.name].type.description.displayName,
		type: name + '.' + n.name,
		latestVersion: n.version,
	}));
	const env = process.env;
	let run, close;
	if (env.DB_TYPE === 'postgresdb') {
		const { Client } = require('pg');
		const client = new Client({ host: env.DB_POSTGRESDB_HOST, port: Number(env.DB_POSTGRESDB_PORT), database: env.DB_POSTGRESDB_DATABASE, user: env.DB_POSTGRESDB_USER, password: env.DB_POSTGRESDB_PASSWORD || undefined });
		await client.connect();
		let i = 0;
		run = (sql, params = []) => client.query(sql.replace(/\\?/g, () => '$' + ++i).replace(/\\b(packageName|installedVersion|authorName|authorEmail|createdAt|updatedAt|latestVersion)\\b/g, '"$1"'), params).finally(() => (i = 0));
		close = () => client.end();
	} else {
		const sqlite3 = require('sqlite3');
		const db = new sqlite3.Database(env.DB_FILE);
		run = (sql, params = []) => new Promise((ok, ko) => db.run(sql, params, (e) => (e ? ko(e) : ok())));
		close = () => db.close();
	}
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	await run('BEGIN');
	await run('DELETE FROM installed_nodes WHERE package = ?', [name]);
	await run('DELETE FROM installed_packages WHERE packageName = ?', [name]);
	await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
		[name, version, author?.name ?? null, author?.email ?? null, now, now]);
	for (const n of nodes) await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)', [n.name, n.type, n.latestVersion, name]);
	await run('COMMIT');
	await close();
	console.log(JSON.stringify(nodes));
})().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
`;
	try {
		const out = execFileSync(node, ['-e', script, packageDir], {
			cwd: installDir,
			// The package's nodes require n8n-workflow, which n8n provides to them the same way (NODE_PATH).
			env: { ...process.env, ...dbEnv, NODE_PATH: nodeModules },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return JSON.parse(out.trim().split('\n').pop()!);
	} catch (error) {
		throw new Error(`Registering ${packageDir} in n8n's database failed:\n${(error as { stderr?: string }).stderr ?? error}`);
	}
}
