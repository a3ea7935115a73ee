import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an instance config (encryption key) under N8N_USER_FOLDER when its execution
// contexts are first used: point it at a temporary folder, before n8n-core is loaded.
export const n8nUserFolder = mkdtempSync(join(tmpdir(), 'n8n-trigger-tests-'));
process.env.N8N_USER_FOLDER = n8nUserFolder;
