import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an instance config (encryption key) under N8N_USER_FOLDER when its execution
// contexts are first used: point it at a temporary folder, before n8n-core is loaded.
const previous = process.env.N8N_USER_FOLDER;
export const n8nUserFolder = mkdtempSync(join(tmpdir(), 'n8n-trigger-tests-'));
process.env.N8N_USER_FOLDER = n8nUserFolder;

/** Removes the folder and restores the variable, so later test files in the worker are unaffected. */
export function removeN8nUserFolder(): void {
	rmSync(n8nUserFolder, { recursive: true, force: true });
	if (previous === undefined) delete process.env.N8N_USER_FOLDER;
	else process.env.N8N_USER_FOLDER = previous;
}
