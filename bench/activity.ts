/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * What the activity chart costs on a large delivery log: a real n8n (SQLite) with the starter
 * workflows, its log filled with `rows` finished deliveries spread over `days` days (ids growing
 * with time, as the log is appended), then the activity page's `activity` action timed: the first
 * call (no hint: finding the window's first row reads the whole table) and the calls after it (from
 * the hint: an id range). The raw queries are timed in SQLite too, to tell the database's share
 * from n8n's. The rows are written straight into n8n's table with sqlite3 (n8n's API takes minutes
 * for a million); the queries and the workflow are n8n's own.
 *
 * `node .n8n-local/bench-build/bench/activity.js [rows=1000000] [days=60]`
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { startN8n, type N8n } from '../tools/harness';
import { addEndpoints, setUpNotifications, type Notifications } from '../tools/notifications';

const sqlite = (db: string, sql: string, ...cmds: string[]) =>
	execFileSync('sqlite3', [...['.timeout 30000', ...cmds].flatMap((cmd) => ['-cmd', cmd]), db, sql], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

function fill(db: string, table: string, rows: number, days: number) {
	const now = Date.now() / 1000;
	const span = days * 86400;
	const ts = `strftime('%Y-%m-%d %H:%M:%f', ${now - span} + k * ${span}.0 / ${rows}, 'unixepoch')`;
	const failed = 'k % 50 = 0';
	sqlite(
		db,
		`INSERT INTO ${table} (deliveryId, eventRow, eventId, eventType, resourceId, endpointId, endpointName, endpointUrl, endpointAuthentication, status, responseCode, responseBody, error, attempts, attemptLog, firstAttemptAt, lastAttemptAt, durationMs, endpointGone, test, createdAt, updatedAt)
		 WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < ${rows})
		 SELECT 'msg_' || k, k / 10 + 1, 'evt_history_' || (k / 10), 'invoice.created', 'INV-' || (k / 10), k % 10 + 1, 'bench-' || (k % 10),
		   'https://partner-' || (k % 10) || '.example/webhooks', 'none', CASE WHEN ${failed} THEN 'failed' ELSE 'sent' END, CASE WHEN ${failed} THEN 503 ELSE 200 END,
		   CASE WHEN ${failed} THEN 'down for maintenance' ELSE 'ok' END, CASE WHEN ${failed} THEN 'HTTP 503' ELSE NULL END, 1, '', t, t, 40, 0, 0, t, t
		 FROM (SELECT k, ${ts} AS t FROM seq);`,
	);
}

/** Milliseconds of one query, as sqlite3's timer reports them (real time). */
function timed(db: string, sql: string): { ms: number; out: string } {
	const out = execFileSync('sqlite3', [db], { input: `.timeout 30000\n.timer on\n${sql}\n`, encoding: 'utf8' });
	const match = /Run Time: real ([\d.]+)/.exec(out);
	return { ms: match ? Math.round(Number(match[1]) * 1000) : NaN, out: out.split('\n')[0] };
}

async function call(n: Notifications, body: unknown): Promise<{ ms: number; json: any }> {
	const started = performance.now();
	const res = await fetch(`${n.url.activity}/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-admin-token': n.secrets.adminToken }, body: JSON.stringify(body) });
	const json = await res.json();
	if (res.status !== 200) throw new Error(`${JSON.stringify(body)} answered ${res.status}: ${JSON.stringify(json)}`);
	return { ms: Math.round(performance.now() - started), json };
}

async function main() {
	const rows = Number(process.argv[2] ?? 1_000_000);
	const days = Number(process.argv[3] ?? 60);
	const n8n: N8n = await startN8n({ env: { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(8 * 1024 ** 3) } });
	try {
		const n = await setUpNotifications(n8n, { dataTableLimitBytes: 8 * 1024 ** 3 });
		await addEndpoints(n, Array.from({ length: 10 }, (_, i) => ({ name: `bench-${i}`, url: `https://partner-${i}.example/webhooks` })));
		const db = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
		const table = `data_table_user_${n.tableId.deliveries}`;
		const t0 = Date.now();
		fill(db, table, rows, days);
		console.log(`activity bench: ${rows.toLocaleString('en')} log rows over ${days} days written in ${Math.round((Date.now() - t0) / 1000)} s`);

		const since = new Date(Date.now() - 7 * 86400_000).toISOString().replace('T', ' ').replace('Z', '');
		const first = sqlite(db, `SELECT min(id) FROM ${table} WHERE createdAt >= '${since}';`).trim();
		const raw = {
			count_by_date: timed(db, `SELECT COUNT(*) FROM ${table} WHERE createdAt >= '${since}';`),
			count_by_id_range: timed(db, `SELECT COUNT(*) FROM ${table} WHERE id >= ${first} AND createdAt >= '${since}';`),
			newest_20000_by_id_range: timed(db, `SELECT COUNT(*) FROM (SELECT * FROM ${table} WHERE id >= ${first} AND createdAt >= '${since}' ORDER BY id DESC LIMIT 20000);`),
		};
		for (const [name, { ms, out }] of Object.entries(raw)) console.log(`  sqlite ${name}: ${ms} ms (${out})`);

		const stats = await call(n, { action: 'stats' });
		console.log(`  stats (today's counts: last day by date, read whole): ${stats.ms} ms`);
		const calls = [];
		for (let i = 0; i < 3; i++) calls.push(await call(n, { action: 'activity' }));
		const [cold, ...hinted] = calls;
		const { overall, capped, countedFrom } = cold.json;
		console.log(`  activity, first call (no hint: the window's start found by reading the whole log): ${cold.ms} ms`);
		console.log(`  activity, next calls (from the hint: an id range): ${hinted.map((c) => c.ms).join(' ms, ')} ms`);
		const workflow = await n8n.api.request('GET', `/workflows/${n.setup.workflows['Webhook Notifications: Activity page'].id}`);
		console.log(`  the activity workflow's static data: ${JSON.stringify((workflow as { staticData?: unknown }).staticData)}`);
		console.log(`  counted: ${overall.sent} sent, ${overall.failed} failed, capped=${capped} from ${countedFrom}; window start id ${first}`);
		console.log(`\nbench: activity_rows=${rows} activity_first_ms=${cold.ms} activity_hinted_ms=${Math.min(...hinted.map((c) => c.ms))} stats_ms=${stats.ms} sqlite_count_by_date_ms=${raw.count_by_date.ms} sqlite_count_by_id_range_ms=${raw.count_by_id_range.ms}`);
	} finally {
		await n8n.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
