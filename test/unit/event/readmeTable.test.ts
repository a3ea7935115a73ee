import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { eventCatalog } from '../../../nodes/shared/event/catalog';
import { catalogTable } from '../../../scripts/catalog-table';

const root = join(__dirname, '..', '..', '..');
const start = '<!-- catalog:start -->';
const end = '<!-- catalog:end -->';

describe("the README's event table", () => {
	test('lists every event type of the catalog', () => {
		const table = catalogTable();
		for (const definition of eventCatalog) expect(table).toContain(`| \`${definition.type}\` | ${definition.label} |`);
	});

	test('is printed by scripts/print-catalog-table.js without a build', () => {
		const printed = execFileSync(process.execPath, [join(root, 'scripts', 'print-catalog-table.js')], { encoding: 'utf8' });
		expect(printed).toBe(`${catalogTable()}\n`);
	});

	test('in README.md is the generated one (regenerate: node scripts/print-catalog-table.js)', () => {
		const readme = readFileSync(join(root, 'README.md'), 'utf8');
		const from = readme.indexOf(start);
		const to = readme.indexOf(end);
		if (from === -1 || to === -1 || to < from) {
			throw new Error(`README.md needs the markers ${start} and ${end} around the output of node scripts/print-catalog-table.js`);
		}
		expect(readme.slice(from + start.length, to).trim()).toBe(catalogTable().trim());
	});
});
