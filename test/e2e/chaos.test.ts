import { duplicateSends, Receiver, type Reply } from '../helpers/receiver';
import { StrictOAuthServer } from '../helpers/oauthServer';
import { startN8n, waitFor, type DataTableRow, type N8n } from '../../tools/harness';
import { addEndpoints, attemptsOf, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';
import { seeded } from '../helpers/seeded';

/**
 * 2,000 events through the starter dispatch workflow in a real n8n, to endpoints that fail at
 * random (500s, connection resets, hangs past the timeout, 429 with Retry-After) and to one
 * behind OAuth2 whose token endpoint is down for the first 15 s. Every acknowledged event must
 * reach every endpoint subscribed to it, and the log tables must agree with the receivers.
 * The failures are random but seeded: a run can be repeated.
 */
const EVENTS = 2000;
const BATCH = 100;
const types = ['invoice.created', 'payment.assigned', 'order.created', 'credit_memo.created'];

describe('chaos delivery', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	let oauth: StrictOAuthServer;
	const seed = Number(process.env.CHAOS_SEED ?? 20261124);
	const random = seeded(seed);
	const ok: Reply = { status: 200, body: 'ok' };
	const sometimes = (p: number, failure: Reply): (() => Reply) => () => (random() < p ? failure : ok);

	/** Endpoint path → the event types it subscribes to. */
	const subscriptions: Record<string, string[]> = {
		'/steady': types,
		'/errors': [types[0], types[1]],
		'/resets': [types[2]],
		'/hangs': [types[3]],
		'/throttled': [types[0]],
		'/oauth': [types[1], types[2]],
	};

	beforeAll(async () => {
		oauth = await new StrictOAuthServer('chaos-client', `chaos-secret-${seed}`).start();
		n8n = await startN8n();
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			deliverOptions: { timeout: 1500, durableSchedule: Array(20).fill('2s').join(', '), retryAfterCap: 5 },
			// Short claims: the dispatch's last 8 s, so endpoints that hang (past the 1.5 s timeout) and
			// slow batches run into the end of a claim, and the retry workflow is there to take over.
			overrides: { 'Claim.columns.value.dueAt': "={{ $now.plus(30, 'seconds').toISO() }}", 'Plan Deliveries.lease': 8 },
			credentials: {
				'Webhook OAuth2': {
					type: 'webhookOAuth2Api',
					data: { tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope: '', authentication: 'header' },
				},
			},
		});
		receiver = await new Receiver(n.secrets.signingSecret).start();
		receiver.authorize = (headers, path) => path !== '/oauth' || oauth.accepts(headers.authorization as string);
		receiver.behave('/errors', sometimes(0.3, { status: 500, body: 'boom' }));
		receiver.behave('/resets', sometimes(0.2, 'reset'));
		receiver.behave('/hangs', sometimes(0.1, 'hang'));
		receiver.behave('/throttled', sometimes(0.25, { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }));
		receiver.behave('/oauth', sometimes(0.1, { status: 503, body: 'busy' }));
		await addEndpoints(
			n,
			Object.entries(subscriptions).map(([path, eventTypes]) => ({
				name: path.slice(1),
				url: receiver.url(path),
				eventTypes: eventTypes.join(','),
				authentication: path === '/oauth' ? ('oauth2' as const) : ('none' as const),
			})),
		);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
		await oauth?.stop();
	}, 60_000);

	it('delivers every acknowledged event to every subscribed endpoint, and the log agrees', async () => {
		oauth.failWith = 503;
		const tokenEndpointBack = setTimeout(() => (oauth.failWith = undefined), 15_000);
		const started = Date.now();
		const acknowledged = new Map<string, string>(); // event id → type
		let posted = 0;
		for (let offset = 0; offset < EVENTS; offset += BATCH) {
			const events = Array.from({ length: BATCH }, (_, i) => catalogEvent(types[(offset + i) % types.length], { id: `evt_chaos_${offset + i}` }));
			posted += events.length;
			// A few single-event requests too, as a source sending one at a time does.
			const requests = offset === 0 ? events.map((event) => [event]) : [events];
			for (const batch of requests) {
				const answer = await postEvents(n, 'billing', batch);
				if (answer.status === 202) for (const id of answer.body.accepted as string[]) acknowledged.set(id, batch.find((e) => e.id === id)!.type);
			}
		}
		// The same 50 new events posted twice at the same moment: each is delivered once.
		const twice = Array.from({ length: 50 }, (_, i) => catalogEvent(types[i % types.length], { id: `evt_chaos_twice_${i}` }));
		posted += twice.length;
		const answers = await Promise.all([postEvents(n, 'billing', twice), postEvents(n, 'billing', twice)]);
		for (const answer of answers) {
			if (answer.status === 202) for (const id of answer.body.accepted as string[]) acknowledged.set(id, twice.find((e) => e.id === id)!.type);
		}
		const acceptedTwice = answers.flatMap((answer) => (answer.status === 202 ? (answer.body.accepted as string[]) : []));
		const ingestMs = Date.now() - started;

		const expectedFor = (path: string) => [...acknowledged].filter(([, type]) => subscriptions[path].includes(type)).map(([id]) => id);
		const expectedTotal = Object.keys(subscriptions).reduce((sum, path) => sum + expectedFor(path).length, 0);
		const deliveries = await waitFor(
			async () => {
				const [all, open] = [await rows(n, 'deliveries'), await rows(n, 'outbox')];
				return open.length === 0 && all.length === expectedTotal && all;
			},
			{ timeoutMs: 8 * 60_000, intervalMs: 5_000, what: 'every delivery settled' },
		).catch(async (error) => {
			const all = await rows(n, 'deliveries');
			const open = [...(await rows(n, 'outbox')), ...all.filter((row) => row.status !== 'sent')];
			process.stdout.write(`chaos: not settled: rows=${all.length}/${expectedTotal} open=${open.length} e.g. ${JSON.stringify(open.slice(0, 3).map((r) => [r.endpointName, r.status, r.error, r.attempts]))}\n`);
			throw error;
		});
		clearTimeout(tokenEndpointBack);
		const settledMs = Date.now() - started;

		// What each receiver saw: distinct webhook-ids and the event ids they carried.
		let delivered = 0;
		let lost = 0;
		const seenWebhookIds = new Set<string>();
		for (const path of Object.keys(subscriptions)) {
			const got = new Map<string, string>(); // webhook-id → event id
			for (const request of receiver.on(path)) got.set(String(request.headers['webhook-id']), JSON.parse(request.body).id);
			for (const id of got.keys()) seenWebhookIds.add(id);
			const events = new Set(got.values());
			const expected = expectedFor(path);
			const missing = expected.filter((id) => !events.has(id));
			delivered += expected.length - missing.length;
			lost += missing.length;
			expect({ path, distinctWebhookIds: got.size }).toEqual({ path, distinctWebhookIds: expected.length });
		}

		// The log against the receivers: every row sent, its attempts logged one by one, its webhook-id seen.
		let attempts = 0;
		const mismatches: Array<[string, DataTableRow]> = [];
		for (const row of deliveries) {
			if (row.status !== 'sent') mismatches.push(['not sent', row]);
			else if (attemptsOf(row).length !== row.attempts || attemptsOf(row).some((attempt, i) => attempt.n !== i + 1)) mismatches.push(['attempt log != attempts', row]);
			else if (!seenWebhookIds.has(row.deliveryId as string)) mismatches.push(['receiver never saw it', row]);
		}
		if (seenWebhookIds.size !== deliveries.length) mismatches.push(['receivers saw webhook-ids the log does not have', deliveries[0]]);

		for (const row of deliveries) attempts += row.attempts as number;
		const duplicates = duplicateSends(receiver.requests);
		const retried = deliveries.filter((row) => (row.attempts as number) > 1).length;
		process.stdout.write(
			`chaos: seed=${seed} deliveries=${deliveries.length} retried=${retried} attempts=${attempts} token_requests=${oauth.tokenRequests} ingest_ms=${ingestMs} settled_ms=${settledMs}\n` +
				mismatches.slice(0, 5).map(([why, row]) => `  mismatch: ${why}: ${JSON.stringify([row.endpointName, row.status, row.attempts, row.error])}\n`).join('') +
				`chaos: events=${posted} acknowledged=${acknowledged.size} delivered=${delivered} lost=${lost} log_mismatches=${mismatches.length} duplicate_sends=${duplicates}\n`,
		);
		expect(acknowledged.size).toBe(posted);
		expect(retried).toBeGreaterThan(0);
		expect(lost).toBe(0);
		expect(mismatches).toHaveLength(0);
		expect(duplicates).toBe(0);
		// Each of the events posted twice at once was accepted by exactly one of the two posts.
		expect([...acceptedTwice].sort()).toEqual(twice.map((e) => e.id).sort());
	}, 14 * 60_000);
});
