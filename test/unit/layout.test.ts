import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The layout's rules, checked on the source (README "Development" has the map): folders import
 * each other one way only, the core knows nothing of n8n, nothing outside test/ imports test/,
 * and no product file is a wall.
 */
const root = join(__dirname, '..', '..');
const SOURCE_ROOTS = ['nodes', 'credentials', 'starter', 'scripts', 'tools', 'bench', 'test'];
/** Every folder of nodes/shared but n8n/ is core: a new folder is pure unless it is the glue. */
const PURE = readdirSync(join(root, 'nodes/shared'))
	.filter((area) => area !== 'n8n' && statSync(join(root, 'nodes/shared', area)).isDirectory())
	.map((area) => `nodes/shared/${area}`);
const PRODUCT = ['nodes', 'credentials', 'starter', 'scripts/cli'];
const MAX_LINES = 400;

function filesUnder(dir: string): string[] {
	return readdirSync(join(root, dir)).flatMap((name) => {
		const path = `${dir}/${name}`;
		if (statSync(join(root, path)).isDirectory()) return filesUnder(path);
		return /\.(ts|js|mjs|html)$/.test(name) ? [path] : [];
	});
}
const files = SOURCE_ROOTS.flatMap(filesUnder);
const code = files.filter((file) => !file.endsWith('.html'));
const text = new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));

/** What a file imports: relative imports resolved to repository paths, and package names. */
function importsOf(file: string): { local: string[]; packages: string[] } {
	const specifiers = [...text.get(file)!.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s+)?'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g)].map(
		(match) => match[1] ?? match[2] ?? match[3],
	);
	return {
		local: specifiers.filter((s) => s.startsWith('.')).map((s) => normalize(join(dirname(file), s))),
		packages: specifiers.filter((s) => !s.startsWith('.')),
	};
}

/** A file's folder; subfolders of a nodes/shared area (event/billing) count as the area. */
function folderOf(path: string): string {
	const area = /^nodes\/shared\/[^/]+/.exec(path);
	if (area && path !== area[0] && !/\.\w+$/.test(area[0])) return area[0];
	return dirname(path);
}

test('no import cycle between folders', () => {
	const edges = new Map<string, Set<string>>();
	for (const file of code) {
		for (const target of importsOf(file).local) {
			const from = folderOf(file);
			const to = folderOf(target);
			if (from === to) continue;
			if (!edges.has(from)) edges.set(from, new Set());
			edges.get(from)!.add(to);
		}
	}
	const cycles: string[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const visit = (folder: string, path: string[]) => {
		if (state.get(folder) === 'done') return;
		if (state.get(folder) === 'open') {
			cycles.push([...path.slice(path.indexOf(folder)), folder].join(' -> '));
			return;
		}
		state.set(folder, 'open');
		for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
		state.set(folder, 'done');
	};
	for (const folder of [...edges.keys()].sort()) visit(folder, []);
	expect(cycles).toEqual([]);
	// The checker sees the edges it should (so an empty list above means something).
	expect(edges.get('nodes/shared/delivery')).toContain('nodes/shared/event');
});

test('the core imports nothing of n8n', () => {
	const offenders = code
		.filter((file) => PURE.some((folder) => file.startsWith(`${folder}/`)))
		.filter((file) => importsOf(file).packages.some((name) => /^n8n-(workflow|core)$|^@n8n\//.test(name)));
	expect(offenders).toEqual([]);
});

test('nothing outside test/ imports test/', () => {
	const offenders = code
		.filter((file) => !file.startsWith('test/'))
		.flatMap((file) => importsOf(file).local.filter((target) => target.startsWith('test/')).map((target) => `${file} -> ${target}`));
	expect(offenders).toEqual([]);
});

test(`no product source file is over ${MAX_LINES} lines (generated files say so)`, () => {
	const walls = files
		.filter((file) => PRODUCT.some((folder) => file.startsWith(`${folder}/`)))
		.filter((file) => !/^\/\/ Generated|^\/\* Generated/.test(text.get(file)!))
		.map((file) => [relative(root, join(root, file)), text.get(file)!.split('\n').length - 1] as const)
		.filter(([, lines]) => lines > MAX_LINES);
	expect(walls).toEqual([]);
});
