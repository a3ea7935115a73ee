import { execFileSync } from 'node:child_process';
import path from 'node:path';

import type { N8n } from '../../../tools/harness';

/**
 * Moves rows of a data table back in time, as if they had been written days ago: n8n sets
 * `createdAt` and `updatedAt` itself and its API cannot change them. Written with the sqlite3
 * command line into n8n's own database (SQLite only), in the format n8n stores them in.
 */
export function backdate(n8n: N8n, tableId: string, changes: Array<{ id: number; createdAt?: Date; updatedAt?: Date }>): void {
	if (!/^[A-Za-z0-9]+$/.test(tableId)) throw new Error(`not a data table id: ${tableId}`);
	const db = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const table = `data_table_user_${tableId}`;
	const sample = execFileSync('sqlite3', [db, `SELECT createdAt FROM ${table} LIMIT 1;`], { encoding: 'utf8' }).trim();
	// n8n writes "YYYY-MM-DD HH:MM:SS.SSS" (UTC) on SQLite; keep whatever form the table has.
	const format = (date: Date) => (sample.includes('T') ? date.toISOString() : date.toISOString().replace('T', ' ').replace('Z', ''));
	const statements = changes.flatMap(({ id, createdAt, updatedAt }) => {
		const sets = [createdAt && `createdAt = '${format(createdAt)}'`, updatedAt && `updatedAt = '${format(updatedAt)}'`].filter(Boolean);
		return sets.length ? [`UPDATE ${table} SET ${sets.join(', ')} WHERE id = ${Number(id)};`] : [];
	});
	execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, statements.join('\n')], { encoding: 'utf8' });
}
