import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package's own name and version, found by walking up from here (works from source and dist). */
function findPackageJson(): { name: string; version: string } {
	let dir = __dirname;
	for (let depth = 0; depth < 8; depth++) {
		const candidate = join(dir, 'package.json');
		if (existsSync(candidate)) {
			const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
			if (pkg.name === 'n8n-nodes-webhook-notifications' && pkg.version) return { name: pkg.name, version: pkg.version };
		}
		dir = dirname(dir);
	}
	return { name: 'n8n-nodes-webhook-notifications', version: '0.0.0' };
}

export const packageInfo = findPackageJson();
export const userAgent = `${packageInfo.name}/${packageInfo.version}`;
