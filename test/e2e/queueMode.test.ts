import fs from 'node:fs';

import { invoiceOverdueRow, invoiceOverdueSample } from '../helpers/customEventTypes';
import { Receiver } from '../helpers/receiver';
import { queueModeEnv, startN8n, startPostgres, startRedis, waitFor, type N8n, type N8nProcess, type Service } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * n8n's queue mode with PostgreSQL and Redis from Debian's packages (started on loopback by the
 * project's own scripts), a main process and two workers, the package installed as a community
 * package: the same starter workflows run unchanged, both workers execute deliveries, and
 * killing one worker mid-stream loses no acknowledged event.
 */
describe('queue mode with two workers', () => {
	let postgres: Awaited<ReturnType<typeof startPostgres>>;
	let redis: Service;
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	const workers: N8nProcess[] = [];

	beforeAll(async () => {
		postgres = await startPostgres();
		redis = await startRedis();
		n8n = await startN8n({ env: queueModeEnv(postgres, redis) });
		for (let i = 0; i < 2; i++) {
			const worker = await n8n.spawn('worker');
			await waitFor(() => fs.existsSync(worker.logFile) && fs.readFileSync(worker.logFile, 'utf8').includes('n8n worker is now ready'), {
				timeoutMs: 120_000,
				what: `worker ${i + 1} to be ready`,
			});
			workers.push(worker);
		}
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			// A 3 s timeout fits the short claims below: no attempt starts that could outlast its claim.
			deliverOptions: { durableSchedule: Array(10).fill('2s').join(', '), timeout: 3000 },
			overrides: { 'Plan Deliveries.lease': 5, 'Claim.columns.value.dueAt': "={{ $now.plus(10, 'seconds').toISO() }}" },
		});
		receiver = await new Receiver(n.secrets.signingSecret).start();
		receiver.script('/a', { status: 200, body: 'ok', delayMs: 100 });
		await addEndpoints(n, [
			{ name: 'a', url: receiver.url('/a') },
			{ name: 'b', url: receiver.url('/b') },
		]);
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
		await redis?.stop();
		await postgres?.stop();
	}, 120_000);

	const startedExecutions = (worker: N8nProcess) => (fs.readFileSync(worker.logFile, 'utf8').match(/Worker started execution/g) ?? []).length;

	it('runs the starter workflows on both workers and loses nothing when one is killed', async () => {
		const acknowledged = new Set<string>();
		let posted = 0;
		let killed = false;
		const stream = async (source: number, requests: number) => {
			for (let i = 0; i < requests; i++) {
				const size = i % 3 === 0 ? 5 : 1;
				const events = Array.from({ length: size }, (_, k) => catalogEvent('order.created', { id: `evt_queue_${source}_${i}_${k}` }));
				posted += events.length;
				const answer = await postEvents(n, 'billing', events).catch(() => undefined);
				if (answer?.status === 202) for (const id of answer.body.accepted as string[]) acknowledged.add(id);
				if (!killed && source === 0 && i === Math.floor(requests / 2)) {
					killed = true;
					workers[0].kill('SIGKILL'); // mid-stream: its running executions die with it
				}
			}
		};
		await Promise.all([0, 1, 2, 3].map((source) => stream(source, 40)));
		expect(killed).toBe(true);

		const received = () => new Set(receiver.requests.map((r) => `${r.path} ${JSON.parse(r.body).id}`));
		await waitFor(() => [...acknowledged].every((id) => received().has(`/a ${id}`) && received().has(`/b ${id}`)), {
			timeoutMs: 180_000,
			intervalMs: 1000,
			what: 'every acknowledged event at both endpoints',
		}).catch(() => undefined); // counted below
		const all = await waitFor(
			async () => {
				const [found, open] = [await rows(n, 'deliveries'), await rows(n, 'outbox')];
				return open.length === 0 && found.every((row) => row.status === 'sent') && found;
			},
			{ timeoutMs: 120_000, intervalMs: 2000, what: 'every delivery row sent' },
		).catch(async () => [...(await rows(n, 'outbox')), ...(await rows(n, 'deliveries'))]);

		const got = received();
		const delivered = [...acknowledged].filter((id) => got.has(`/a ${id}`) && got.has(`/b ${id}`)).length;
		const perWorker = workers.map(startedExecutions);
		process.stdout.write(`queue: workers=2 events=${acknowledged.size} delivered=${delivered} lost=${acknowledged.size - delivered} per_worker=${perWorker.join(',')}\n`);
		expect(acknowledged.size).toBeGreaterThan(posted * 0.5); // most requests are acknowledged (those on the killed worker may fail)
		expect(delivered).toBe(acknowledged.size);
		expect(all.filter((row) => row.status !== 'sent')).toEqual([]);
		expect(perWorker[0]).toBeGreaterThan(0);
		expect(perWorker[1]).toBeGreaterThan(0);
		expect(receiver.requests.every((r) => r.verifiedByStandardWebhooks)).toBe(true);
	}, 10 * 60_000);

	it('accepts a custom event type (read through the API by the process taking webhooks) and a lenient event; a worker delivers both', async () => {
		await n8n.api.insertRows(n.tableId.eventTypes, [invoiceOverdueRow]);
		const custom = { id: 'evt_queue_overdue', type: 'invoice.overdue', data: invoiceOverdueSample };
		const flagged = catalogEvent('order.activated', { id: 'evt_queue_lenient' });
		delete (flagged.data.order as Record<string, unknown>).orderNumber;
		delete (flagged.data.order as Record<string, unknown>).customerId;
		const answer = await postEvents(n, 'billing', [custom, flagged]);
		expect(answer).toMatchObject({ status: 202, body: { accepted: ['evt_queue_overdue', 'evt_queue_lenient'] } });
		const got = () => new Set(receiver.on('/b').map((r) => JSON.parse(r.body).id as string));
		await waitFor(() => got().has('evt_queue_overdue') && got().has('evt_queue_lenient'), { timeoutMs: 120_000, what: 'both events at endpoint b' });
		const [row] = await rows(n, 'events', [{ columnName: 'eventId', condition: 'eq', value: 'evt_queue_lenient' }]);
		expect(JSON.parse(row.schemaIssues as string).map((issue: { path: string }) => issue.path)).toEqual(['data.order.orderNumber', 'data.order.customerId']);
		process.stdout.write('queue: custom type accepted and delivered; lenient event delivered with 2 issues recorded\n');
	}, 5 * 60_000);
});
