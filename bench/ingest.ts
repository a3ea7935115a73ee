/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * The delivery log at the size users reach: single-event ingest (acknowledged, delivered and logged)
 * with an empty log and again with 1,000,000 deliveries already logged, batched ingest, and the
 * data-table bytes one delivery costs. Run on SQLite (n8n's default) and on PostgreSQL (what
 * queue-mode users have). The million rows are bulk-inserted through n8n's public API with the
 * product's own columns; the space limit is raised for the run.
 */
import crypto from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { findEventType, sampleEvent } from '../nodes/shared/event/catalog';
import { scopedDeliveryId } from '../nodes/shared/delivery/delivery';
import { eventRowFor } from '../nodes/shared/storage/records';
import { DEDUPE_WINDOW, TABLE, type DeliveryRow } from '../nodes/shared/storage/tables';
import { postgresEnv, startN8n, startPostgres, waitFor, type N8n } from '../tools/harness';
import { addEndpoints, setUpNotifications, type Notifications } from '../tools/notifications';
import { profileDispatch } from './profile';

export interface GrowthFigures {
	store: 'sqlite' | 'postgres';
	emptyPerS: number;
	fullPerS: number;
	loggedRows: number;
	batchedPerS?: number;
	bytesPerDelivery?: number;
	bareWebhookPerS?: number;
}

interface Receiver {
	url(i: number, p?: string): string;
	received(): Promise<number>;
}

const SOURCES = 4;
/** A 2 KB event: the catalog's invoice sample with line items, as a billing system sends one. */
function event(id: string) {
	const sample = sampleEvent(findEventType('invoice.created')!);
	const lines = Array.from({ length: 12 }, (_, i) => ({
		sku: `SKU-${1000 + i}`,
		description: `Subscription seat, tier ${i}`,
		quantity: i + 1,
		unitPrice: 12.5 * (i + 1),
	}));
	return { ...sample, id, resourceId: id, timestamp: new Date().toISOString(), data: { ...sample.data, lines } };
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>) {
	let next = 0;
	await Promise.all(
		Array.from({ length: limit }, async () => {
			while (next < items.length) await fn(items[next++]);
		}),
	);
}

export async function measureGrowth(
	store: 'sqlite' | 'postgres',
	receiver: Receiver,
	options: { loggedRows: number; requests: number; batches: number; measureBytes: boolean },
): Promise<GrowthFigures> {
	const postgres = store === 'postgres' ? await startPostgres() : undefined;
	const env: Record<string, string> = { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(8 * 1024 ** 3) };
	// How often n8n re-measures all data tables before a write (5 s by default; on SQLite it reads every page).
	if (process.env.GROWTH_SIZE_CHECK_MS) env.N8N_DATA_TABLES_SIZE_CHECK_CACHE_DURATION_MS = process.env.GROWTH_SIZE_CHECK_MS;
	if (postgres) Object.assign(env, postgresEnv(postgres));
	const n8n = await startN8n({ env });
	try {
		const n = await setUpNotifications(n8n, { dataTableLimitBytes: 8 * 1024 ** 3 });
		const endpointCount = options.measureBytes ? 10 : 1;
		await addEndpoints(
			n,
			Array.from({ length: endpointCount }, (_, i) => ({ name: `bench-${i}`, url: receiver.url(i, `/growth-${i}`) })),
		);
		const post = poster(n);
		await post([event(`evt_${store}_warm`)]);
		await drained(n, receiver, await receiver.received());

		const figures: GrowthFigures = { store, emptyPerS: 0, fullPerS: 0, loggedRows: options.loggedRows };
		if (options.measureBytes) {
			// 2 KB events to 10 endpoints: every table's size before and after (n8n re-measures every 5 s).
			const before = await tableBytes(n8n);
			const count = 100;
			const start = await receiver.received();
			await pool(
				Array.from({ length: count }, (_, i) => i),
				SOURCES,
				(i) => post([event(`evt_${store}_bytes_${i}`)]),
			);
			await drained(n, receiver, start + count * endpointCount);
			await new Promise((resolve) => setTimeout(resolve, 6000));
			figures.bytesPerDelivery = Math.round(((await tableBytes(n8n)) - before) / (count * endpointCount));
			console.log(
				`  ${store}: data-table bytes per delivery of a ${JSON.stringify(event('evt_x')).length}-byte event to ${endpointCount} endpoints: ${figures.bytesPerDelivery}`,
			);
			await n8n.api.request('DELETE', `/data-tables/${n.tableId.endpoints}/rows/delete`, {
				query: { filter: { type: 'and', filters: [{ columnName: 'name', condition: 'neq', value: 'bench-0' }] } },
			});
		}

		const single = async (label: string) => {
			const start = await receiver.received();
			const t0 = Date.now();
			await pool(
				Array.from({ length: options.requests }, (_, i) => i),
				SOURCES,
				(i) => post([event(`evt_${store}_${label.replace(/[^A-Za-z0-9]+/g, '_')}_${i}`)]),
			);
			await drained(n, receiver, start + options.requests);
			const perS = Math.round((options.requests / (Date.now() - t0)) * 1000 * 10) / 10;
			console.log(`  ${store}, ${label}: ${options.requests} single events acknowledged, delivered and logged: ${perS}/s`);
			return perS;
		};
		figures.emptyPerS = await single('empty log');
		if (options.measureBytes) figures.bareWebhookPerS = await bareWebhook(n8n, options.requests);

		if (options.batches > 0) {
			const start = await receiver.received();
			const t0 = Date.now();
			for (let b = 0; b < options.batches; b++) await post(Array.from({ length: 100 }, (_, i) => event(`evt_${store}_batch_${b}_${i}`)));
			await drained(n, receiver, start + options.batches * 100);
			figures.batchedPerS = Math.round((options.batches * 100 * 1000) / (Date.now() - t0));
			console.log(`  ${store}: batches of 100: ${figures.batchedPerS} events/s delivered and logged`);
		}

		const t0 = Date.now();
		await fillLog(n, options.loggedRows);
		console.log(`  ${store}: ${options.loggedRows.toLocaleString('en')} deliveries bulk-inserted into the log in ${Math.round((Date.now() - t0) / 1000)} s`);
		figures.fullPerS = await single(`${options.loggedRows.toLocaleString('en')} deliveries logged`);
		// Where the time goes with the full log: n8n's own time per node of one execution.
		if (process.env.GROWTH_PROFILE) await profileDispatch(n, [1, 1, 1]);
		return figures;
	} finally {
		await n8n.stop();
		await postgres?.stop();
	}
}

/** The cheapest n8n does per request, in the same instance: a Webhook that answers on receipt and keeps no run data. */
async function bareWebhook(n8n: N8n, requests: number): Promise<number> {
	const workflow = await n8n.api.request('POST', '/workflows', {
		body: {
			name: 'Bench: bare Webhook (growth)',
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2.1,
					position: [0, 0],
					webhookId: crypto.randomUUID(),
					parameters: { httpMethod: 'POST', path: 'bench-bare-growth', responseMode: 'onReceived', options: {} },
				},
			],
			connections: {},
			settings: { saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none' },
		},
	});
	await n8n.api.request('POST', `/workflows/${workflow.id}/activate`);
	await n8n.waitForWebhook('bench-bare-growth');
	const t0 = Date.now();
	await pool(
		Array.from({ length: requests }, (_, i) => i),
		SOURCES,
		(i) =>
			fetch(`${n8n.baseUrl}/webhook/bench-bare-growth`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(event(`bare_${i}`)),
			}).then((r) => r.text()),
	);
	const perS = Math.round((requests / (Date.now() - t0)) * 1000 * 10) / 10;
	console.log(`  bare Webhook workflow, ${requests} requests, ${SOURCES} sources: ${perS}/s`);
	return perS;
}

function poster(n: Notifications) {
	const signer = new StandardWebhook(n.secrets.sourceSigningSecret);
	return async (events: unknown[]) => {
		const body = JSON.stringify(events);
		const id = `msg_${crypto.randomUUID()}`;
		const at = new Date();
		const res = await fetch(n.url.billing, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'webhook-id': id,
				'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
				'webhook-signature': signer.sign(id, at, body),
			},
			body,
		});
		if (res.status !== 202) throw new Error(`dispatch answered ${res.status} ${await res.text()}`);
		await res.text();
	};
}

/** Delivered (the receiver has them) and logged (nothing left in the outbox, a table as small as the work in flight). */
async function drained(n: Notifications, receiver: Receiver, expected: number) {
	await waitFor(async () => (await receiver.received()) >= expected, { timeoutMs: 600_000, intervalMs: 100, what: 'deliveries at the receiver' });
	await waitFor(async () => (await n.n8n.api.listRows(n.tableId.outbox)).length === 0, { timeoutMs: 600_000, intervalMs: 100, what: 'the outbox to empty' });
}

async function tableBytes(n8n: N8n) {
	const tables = await n8n.api.listDataTables();
	return tables.reduce((sum, table) => sum + (Number(table.sizeBytes) || 0), 0);
}

/**
 * The log as a year of traffic leaves it: `count` finished deliveries of events to 10 endpoints,
 * their events (one per 10 deliveries, 2 KB each) and a full dedupe window of keys.
 */
async function fillLog(n: Notifications, count: number) {
	const insert = (table: keyof typeof TABLE, data: unknown[]) =>
		n.n8n.api.request('POST', `/data-tables/${n.tableId[table]}/rows`, { body: { data, returnType: 'count' } });
	const EVENTS_PER_REQUEST = 500;
	const events = Math.ceil(count / 10);
	let firstEventRow = 0;
	for (let start = 0; start < events; start += EVENTS_PER_REQUEST) {
		const rows = Array.from({ length: Math.min(EVENTS_PER_REQUEST, events - start) }, (_, i) => {
			const e = event(`evt_history_${start + i}`);
			return eventRowFor(e, 'billing', JSON.stringify(e));
		});
		await insert('events', rows);
	}
	const [firstEvent] = (await n.n8n.api.request('GET', `/data-tables/${n.tableId.events}/rows`, { query: { limit: '1', sortBy: 'id:asc' } })).data as Array<{
		id: number;
	}>;
	firstEventRow = firstEvent.id;
	const at = new Date(Date.now() - 3600_000).toISOString();
	const LOG_PER_REQUEST = 2000;
	for (let start = 0; start < count; start += LOG_PER_REQUEST) {
		const rows: DeliveryRow[] = Array.from({ length: Math.min(LOG_PER_REQUEST, count - start) }, (_, i) => {
			const k = start + i;
			const eventId = `evt_history_${Math.floor(k / 10)}`;
			return {
				deliveryId: scopedDeliveryId('billing', eventId, `id:${k % 10}`),
				eventRow: firstEventRow + Math.floor(k / 10),
				eventId,
				eventType: 'invoice.created',
				resourceId: eventId,
				endpointId: (k % 10) + 1,
				endpointName: `bench-${k % 10}`,
				endpointUrl: `https://partner-${k % 10}.example/webhooks`,
				endpointAuthentication: 'none',
				status: k % 50 === 0 ? 'failed' : 'sent',
				responseCode: k % 50 === 0 ? 503 : 200,
				responseBody: k % 50 === 0 ? 'down for maintenance' : 'ok',
				error: k % 50 === 0 ? 'HTTP 503' : null,
				attempts: 1,
				attemptLog: '',
				firstAttemptAt: at,
				lastAttemptAt: at,
				durationMs: 40,
				endpointGone: false,
			};
		});
		await insert('deliveries', rows);
	}
	const keys = Array.from({ length: Math.min(DEDUPE_WINDOW, events) }, (_, i) => ({
		eventKey: `billing:evt_history_${events - 1 - i}`,
		eventRow: firstEventRow + events - 1 - i,
	}));
	for (let start = 0; start < keys.length; start += 5000) await insert('eventKeys', keys.slice(start, start + 5000));
}

/** On its own: `node .n8n-local/bench-build/bench/ingest.js [loggedRows] [sqlite|postgres]` (a receiver in this process). */
async function main() {
	const http = await import('node:http');
	let received = 0;
	const servers = await Promise.all(
		Array.from(
			{ length: 10 },
			() =>
				new Promise<import('node:http').Server>((resolve) => {
					const server = http.createServer((req, res) =>
						req.resume().on('end', () => {
							received++;
							res.end('ok');
						}),
					);
					server.listen(0, '127.0.0.1', () => resolve(server));
				}),
		),
	);
	const receiver: Receiver = {
		url: (i, p = '/hook') => `http://127.0.0.1:${(servers[i % servers.length].address() as import('node:net').AddressInfo).port}${p}`,
		received: async () => received,
	};
	const results: GrowthFigures[] = [];
	try {
		const loggedRows = Number(process.argv[2] ?? 1_000_000);
		for (const store of (process.argv[3] ? [process.argv[3]] : ['sqlite', 'postgres']) as Array<'sqlite' | 'postgres'>) {
			const figures = await measureGrowth(store, receiver, {
				loggedRows,
				requests: Number(process.env.GROWTH_REQUESTS ?? 200),
				batches: Number(process.env.GROWTH_BATCHES ?? 0),
				measureBytes: store === 'sqlite',
			});
			console.log(`growth: ${JSON.stringify(figures)} ratio=${(figures.fullPerS / figures.emptyPerS).toFixed(2)}`);
			results.push(figures);
		}
		const [sqlite, pg] = [results.find((r) => r.store === 'sqlite'), results.find((r) => r.store === 'postgres')];
		const line = {
			ingest_vs_bare_webhook: sqlite?.bareWebhookPerS ? +(sqlite.emptyPerS / sqlite.bareWebhookPerS).toFixed(2) : undefined,
			ingest_1m_vs_empty: sqlite ? +(sqlite.fullPerS / sqlite.emptyPerS).toFixed(2) : undefined,
			batched_events_per_s: sqlite?.batchedPerS,
			bytes_per_delivery: sqlite?.bytesPerDelivery,
			pg_ingest_1m_vs_empty: pg ? +(pg.fullPerS / pg.emptyPerS).toFixed(2) : undefined,
		};
		console.log(
			`\nbench: ${Object.entries(line)
				.filter(([, v]) => v !== undefined)
				.map(([k, v]) => `${k}=${v}`)
				.join(' ')}`,
		);
	} finally {
		for (const server of servers) server.close();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
