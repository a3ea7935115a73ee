/* eslint-disable no-console -- a build script reports what it wrote */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { starterWorkflows } from './index';

export function renderWorkflow(workflow: unknown): string {
	return `${JSON.stringify(workflow, null, '\t')}\n`;
}

if (require.main === module) {
	const dir = join(__dirname, '..', '..', 'workflows');
	mkdirSync(dir, { recursive: true });
	for (const [file, workflow] of Object.entries(starterWorkflows())) {
		writeFileSync(join(dir, file), renderWorkflow(workflow));
		console.log(`wrote workflows/${file}`);
	}
}
