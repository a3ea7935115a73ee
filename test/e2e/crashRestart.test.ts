import { Receiver } from '../helpers/receiver';
import { startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * n8n killed with SIGKILL in the middle of a stream of events, then started again: every event
 * the trigger acknowledged before the kill reaches the endpoint afterwards, and no delivery row
 * stays pending or retrying. Deliveries recorded but not sent are picked up by the retry
 * workflow when they come due; one interrupted mid-flight when its claim's lease runs out.
 */
describe('crash and restart', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;

	beforeAll(async () => {
		n8n = await startN8n();
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			// A 3 s timeout fits the short claims below: no attempt starts that could outlast its claim.
			deliverOptions: { durableSchedule: Array(10).fill('2s').join(', '), timeout: 3000 },
			// Shortened for the test: the dispatch's claim on what it recorded lasts 5 s (by default the
			// time budget + timeout + 30 s), and the retry workflow's claim 10 s (120 s).
			overrides: {
				'Plan Deliveries.lease': 5,
				'Claim.columns.value.dueAt': "={{ $now.plus(10, 'seconds').toISO() }}",
			},
		});
		receiver = await new Receiver(n.secrets.signingSecret).start();
		// Slow enough that sends are in flight when n8n dies.
		receiver.script('/slow', { status: 200, body: 'ok', delayMs: 1500 });
		await addEndpoints(n, [{ name: 'slow', url: receiver.url('/slow') }]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	it('delivers every acknowledged event after a SIGKILL mid-stream and a restart', async () => {
		const acknowledged = new Set<string>();
		let posted = 0;
		let refused = 0;
		let streaming = true;
		const stream = async (worker: number) => {
			for (let i = 0; streaming; i++) {
				const events = Array.from({ length: 3 }, (_, k) => catalogEvent('shipping.shipment.created', { id: `evt_crash_${worker}_${i}_${k}` }));
				posted += events.length;
				try {
					const answer = await postEvents(n, 'shipping', events);
					if (answer.status === 202) for (const id of answer.body.accepted) acknowledged.add(id);
					else refused += events.length;
				} catch {
					refused += events.length; // connection refused or reset: the source would post again
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			}
		};
		const workers = [0, 1, 2].map(stream);
		await waitFor(() => acknowledged.size >= 30, { timeoutMs: 60_000, what: 'a stream of acknowledged events' });
		n8n.kill('SIGKILL');
		await new Promise((resolve) => setTimeout(resolve, 500));
		streaming = false;
		await Promise.all(workers);
		const ackedBeforeKill = new Set(acknowledged);
		const deliveredBeforeRestart = new Set(receiver.on('/slow').map((r) => JSON.parse(r.body).id as string));

		await n8n.restart();
		const received = () => new Set(receiver.on('/slow').map((r) => JSON.parse(r.body).id as string));
		await waitFor(() => [...ackedBeforeKill].every((id) => received().has(id)), {
			timeoutMs: 120_000,
			what: 'every acknowledged event to be delivered after the restart',
		}).catch(() => undefined); // counted below
		const settled = await waitFor(
			async () => {
				const [all, open] = [await rows(n, 'deliveries'), await rows(n, 'outbox')];
				return open.length === 0 && all.every((row) => row.status === 'sent') && all;
			},
			{ timeoutMs: 120_000, what: 'every delivery row to be sent' },
		).catch(async () => [...(await rows(n, 'outbox')), ...(await rows(n, 'deliveries'))]);

		const delivered = [...ackedBeforeKill].filter((id) => received().has(id));
		const lost = ackedBeforeKill.size - delivered.length;
		const stuck = settled.filter((row) => row.status !== 'sent');
		// Each delivery keeps one webhook-id however many times it was sent.
		const idsPerEvent = new Map<string, Set<string>>();
		for (const request of receiver.on('/slow')) {
			const id = JSON.parse(request.body).id as string;
			idsPerEvent.set(id, (idsPerEvent.get(id) ?? new Set()).add(String(request.headers['webhook-id'])));
		}
		process.stdout.write(
			`restart: posted=${posted} refused=${refused} acknowledged_not_yet_delivered_at_kill=${[...ackedBeforeKill].filter((id) => !deliveredBeforeRestart.has(id)).length} resent_after_restart=${receiver.on('/slow').length - received().size} stuck=${stuck.length}\n`,
		);
		process.stdout.write(`restart: acknowledged=${ackedBeforeKill.size} delivered=${delivered.length} lost=${lost}\n`);
		expect(ackedBeforeKill.size).toBeGreaterThanOrEqual(30);
		expect(lost).toBe(0);
		expect(stuck.map((row) => [row.eventId, row.status])).toEqual([]);
		expect([...idsPerEvent.values()].every((ids) => ids.size === 1)).toBe(true);
		expect(receiver.requests.every((r) => r.verifiedByStandardWebhooks)).toBe(true);
	}, 6 * 60_000);
});
