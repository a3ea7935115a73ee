import { sentPayload } from '../../nodes/shared/storage/records';
import { Receiver } from '../helpers/receiver';
import { StrictOAuthServer } from '../helpers/oauthServer';
import { startN8n, waitFor, type DataTableRow, type N8n } from '../../tools/harness';
import { addEndpoints, attemptsOf, catalogEvent, deliveries as allDeliveries, postEvents, resend, rows, setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * The starter workflows in a real n8n 2.41.1, set up by the package's setup command: events posted
 * to the Billing dispatch reach exactly the endpoints subscribed to them, signed; the log tables
 * hold what happened; a failing endpoint recovers through the retry workflow; resend by id and by
 * filter send the same bytes under the same webhook-id.
 */
describe('starter workflows in a real n8n', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;
	let oauth: StrictOAuthServer;
	const secretHeaderValue = `hdr_${Date.now()}_e2e`;

	const events = {
		invoice: catalogEvent('invoice.activated', { id: 'evt_e2e_invoice_1', resourceId: 'inv_e2e_1', channels: ['client_42'] }),
		payment: catalogEvent('payment.assigned', { id: 'evt_e2e_payment_1', resourceId: 'pay_e2e_1', channels: ['agent_7'] }),
		order: catalogEvent('order.created', { id: 'evt_e2e_order_1', resourceId: 'ord_e2e_1' }),
	};
	const all = Object.values(events);
	/** Which events each endpoint path must receive. */
	const expected: Record<string, string[]> = {
		'/healthy': all.map((e) => e.id),
		'/failing': all.map((e) => e.id),
		'/oauth': all.map((e) => e.id),
		'/secret': all.map((e) => e.id),
		'/inactive': [],
		'/other-types': [events.order.id],
		'/channel': [events.invoice.id],
	};

	beforeAll(async () => {
		oauth = await new StrictOAuthServer('e2e-client', 'e2e-client-secret-value').start();
		n8n = await startN8n();
		n = await setUpNotifications(n8n, {
			retryEverySeconds: 2,
			// Shortened from Svix's 5 s, 5 min, 30 min...: the same schedule logic, at test speed.
			deliverOptions: { durableSchedule: Array(12).fill('3s').join(', ') },
			credentials: {
				'Webhook OAuth2': {
					type: 'webhookOAuth2Api',
					data: { tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope: '', authentication: 'header' },
				},
				'Webhook Secret Header': {
					type: 'webhookSecretHeaderApi',
					data: { headerName: 'x-partner-secret', secret: secretHeaderValue, additionalHeaders: {} },
				},
			},
		});
		receiver = await new Receiver(n.secrets.signingSecret).start();
		receiver.authorize = (headers, path) =>
			path === '/oauth' ? oauth.accepts(headers.authorization as string) : path === '/secret' ? headers['x-partner-secret'] === secretHeaderValue : true;
		receiver.script('/failing', { status: 503, body: 'down for maintenance' });
		await addEndpoints(n, [
			{ name: 'healthy', url: receiver.url('/healthy') },
			{ name: 'failing', url: receiver.url('/failing') },
			{ name: 'oauth', url: receiver.url('/oauth'), authentication: 'oauth2' },
			{ name: 'secret', url: receiver.url('/secret'), authentication: 'secretHeader' },
			{ name: 'inactive', url: receiver.url('/inactive'), active: false },
			{ name: 'other-types', url: receiver.url('/other-types'), eventTypes: 'order.created, shipping.order.created' },
			{ name: 'channel', url: receiver.url('/channel'), channels: 'client_42' },
		]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
		await oauth?.stop();
	}, 60_000);

	const subscribersOf = (eventId: string) => Object.values(expected).filter((ids) => ids.includes(eventId)).length;
	const deliveriesOf = (eventId: string) => allDeliveries(n, [{ columnName: 'eventId', condition: 'eq', value: eventId }]);

	it('acknowledges signed events with 202 after recording them, and refuses unsigned ones', async () => {
		const unsigned = await postEvents(n, 'billing', all, { sign: false });
		expect(unsigned.status).toBe(401);

		const answer = await postEvents(n, 'billing', all);
		expect(answer).toEqual({ status: 202, body: { received: 3, accepted: all.map((e) => e.id), duplicates: [] } });
		// Recorded before the answer: the rows exist now, one per event and subscribed endpoint, and
		// each event's body once.
		const recorded = await allDeliveries(n);
		expect(recorded).toHaveLength(Object.values(expected).flat().length);
		expect((await rows(n, 'events')).map((row) => [row.eventKey, JSON.parse(sentPayload(row.payload as string)).id])).toEqual(all.map((e) => [`billing:${e.id}`, e.id]));
		expect((await rows(n, 'eventKeys')).map((row) => row.eventKey)).toEqual(all.map((e) => `billing:${e.id}`));
	}, 60_000);

	it('delivers each event exactly to the endpoints subscribed to it, signed and authenticated', async () => {
		const settled = (path: string) => receiver.on(path).filter((r) => r.path === path);
		await waitFor(() => ['/healthy', '/oauth', '/secret', '/other-types', '/channel'].every((p) => settled(p).length >= expected[p].length), {
			timeoutMs: 30_000,
			what: 'deliveries to the healthy endpoints',
		}).catch(async (error) => {
			const open = (await allDeliveries(n)).filter((row) => row.status !== 'sent');
			throw new Error(`${error.message}; not sent: ${JSON.stringify(open.map((row) => [row.endpointName, row.status, row.error]))}`);
		});
		for (const [path, ids] of Object.entries(expected)) {
			if (path === '/failing') continue;
			const got = receiver.on(path).map((r) => JSON.parse(r.body).id);
			expect({ path, ids: [...got].sort() }).toEqual({ path, ids: [...ids].sort() });
		}
		for (const request of receiver.requests.filter((r) => r.path !== 'unauthorized')) {
			expect(request.verifiedByStandardWebhooks).toBe(true);
			expect(request.verifiedBySvix).toBe(true);
			expect(request.headers['user-agent']).toMatch(/^n8n-nodes-webhook-notifications\//);
		}
		expect(receiver.on('unauthorized')).toHaveLength(0);
		expect(oauth.tokenRequests).toBeGreaterThanOrEqual(1);
		// The body is the envelope the source sent, normalised.
		const first = JSON.parse(receiver.on('/channel')[0].body);
		expect(first).toMatchObject({ id: events.invoice.id, type: 'invoice.activated', resourceId: 'inv_e2e_1', channels: ['client_42'] });
		expect(first.data).toEqual(events.invoice.data);
	}, 60_000);

	it('logs every delivery and attempt; the failing endpoint moves from retrying to sent through the retry workflow', async () => {
		const failingRows = () => allDeliveries(n, [{ columnName: 'endpointName', condition: 'eq', value: 'failing' }]);
		const retrying = await waitFor(async () => {
			const found = await failingRows();
			return found.length === 3 && found.every((row) => row.status === 'retrying') && found;
		}, { timeoutMs: 60_000, what: 'the failing endpoint\'s deliveries to be retrying' });
		for (const row of retrying) {
			// Three attempts in the dispatch run, then (while the endpoint stays down) more rounds of the schedule.
			expect(row).toMatchObject({ responseCode: 503, error: expect.stringContaining('503') });
			expect(row.attempts).toBeGreaterThanOrEqual(3);
			expect(row.retryRound).toBeGreaterThanOrEqual(1);
			expect(Date.parse(row.nextAttemptAt as string)).toBeGreaterThan(Date.parse(row.lastAttemptAt as string));
		}
		receiver.script('/failing', { status: 200, body: 'back' });
		const sent = await waitFor(async () => {
			const found = await failingRows();
			return found.every((row) => row.status === 'sent') && found;
		}, { timeoutMs: 60_000, what: 'the failing endpoint\'s deliveries to be sent by the retry workflow' });
		for (const row of sent) {
			const before = retrying.find((r) => r.deliveryId === row.deliveryId)!;
			expect(row).toMatchObject({ responseCode: 200, error: null, firstAttemptAt: before.firstAttemptAt });
			expect(row).not.toHaveProperty('nextAttemptAt'); // a log row: nothing comes next
			expect(row.attempts).toBeGreaterThan(before.attempts as number);
		}

		// Every request the failing endpoint saw carried the same webhook-id per event.
		const byEvent = new Map<string, Set<string>>();
		for (const request of receiver.on('/failing')) {
			const id = JSON.parse(request.body).id as string;
			byEvent.set(id, (byEvent.get(id) ?? new Set()).add(String(request.headers['webhook-id'])));
		}
		expect([...byEvent.values()].map((ids) => ids.size)).toEqual([1, 1, 1]);

		const deliveries = await rows(n, 'deliveries');
		expect(await rows(n, 'outbox')).toEqual([]);
		expect(deliveries.every((row) => row.status === 'sent')).toBe(true);
		expect(deliveries.map((row) => row.endpointName).sort()).toEqual(
			Object.entries(expected).flatMap(([path, ids]) => ids.map(() => path.slice(1))).sort(),
		);
		// Each row's attempts add up to its count, numbered in order, none of them manual.
		for (const row of deliveries) {
			const own = attemptsOf(row);
			expect({ id: row.deliveryId, attempts: own.map((attempt) => attempt.n) }).toEqual({ id: row.deliveryId, attempts: Array.from({ length: row.attempts as number }, (_, i) => i + 1) });
			expect(own.every((attempt) => !attempt.by)).toBe(true);
		}
		// No secret in any table.
		const everything = JSON.stringify([deliveries, await rows(n, 'events'), await rows(n, 'endpoints')]);
		for (const secret of [n.secrets.signingSecret, n.secrets.sourceSigningSecret, n.secrets.adminToken, secretHeaderValue, oauth.clientSecret, ...oauth.issued]) {
			expect(everything).not.toContain(secret);
		}
	}, 120_000);

	it('finds an event by resource id in the delivery log', async () => {
		const found = await rows(n, 'deliveries', [{ columnName: 'resourceId', condition: 'eq', value: 'pay_e2e_1' }]);
		expect(found).toHaveLength(subscribersOf(events.payment.id));
		expect(new Set(found.map((row) => row.eventId))).toEqual(new Set([events.payment.id]));
	}, 30_000);

	it('resends one delivery by id: the same body under the same webhook-id, logged as a manual attempt', async () => {
		const [row] = (await deliveriesOf(events.order.id)).filter((r) => r.endpointName === 'healthy');
		const before = receiver.on('/healthy').length;
		const answer = await resend(n, { deliveryId: row.deliveryId });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ matched: 1, sent: 1, failed: 0, deliveries: [{ deliveryId: row.deliveryId, status: 'sent', attempts: 2 }] });
		const again = receiver.on('/healthy').slice(before);
		expect(again).toHaveLength(1);
		const original = receiver.on('/healthy').find((r) => JSON.parse(r.body).id === events.order.id)!;
		expect(again[0].body).toBe(original.body);
		expect(again[0].headers['webhook-id']).toBe(row.deliveryId);
		expect(again[0].headers['webhook-id']).toBe(original.headers['webhook-id']);
		expect(again[0].verifiedByStandardWebhooks).toBe(true);
		const after = (await deliveriesOf(events.order.id)).find((r) => r.deliveryId === row.deliveryId)!;
		expect(after).toMatchObject({ attempts: 2, status: 'sent', id: row.id });
		expect(attemptsOf(after).map((a) => [a.n, a.by ?? 'scheduled'])).toEqual([
			[1, 'scheduled'],
			[2, 'm'],
		]);
	}, 60_000);

	it('resends every delivery matching a filter, and answers 404 for an unknown id and 401 without the admin token', async () => {
		const before = receiver.requests.length;
		const answer = await resend(n, { eventType: 'payment.assigned', endpointName: 'oauth' });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ matched: 1, sent: 1 });
		const again = receiver.requests.slice(before);
		expect(again.map((r) => [r.path, JSON.parse(r.body).id])).toEqual([['/oauth', events.payment.id]]);

		const byStatus = await resend(n, { status: 'sent', resourceId: 'inv_e2e_1', from: new Date(Date.now() - 3_600_000).toISOString() });
		expect(byStatus.body.matched).toBe(subscribersOf(events.invoice.id));
		expect(new Set(byStatus.body.deliveries.map((d: DataTableRow) => d.status))).toEqual(new Set(['sent']));

		expect((await resend(n, { deliveryId: 'dlv_doesnotexist' })).status).toBe(404);
		expect([401, 403]).toContain((await resend(n, { deliveryId: 'x' }, 'wrong-token')).status);
	}, 60_000);

	it('answers a re-posted event as a duplicate and does not deliver it again', async () => {
		const before = receiver.requests.length;
		const answer = await postEvents(n, 'billing', [events.order]);
		expect(answer).toEqual({ status: 202, body: { received: 1, accepted: [], duplicates: [events.order.id] } });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(receiver.requests.slice(before)).toHaveLength(0);
		expect(await deliveriesOf(events.order.id)).toHaveLength(subscribersOf(events.order.id));
	}, 30_000);
});
