import { Receiver } from '../helpers/receiver';
import { nodeOutput, startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';
import { OPERATIONAL_EVENTS_WORKFLOW } from '../../starter';

/**
 * Endpoint health in a real n8n: an endpoint answering 410 is disabled at once; one whose
 * delivery fails until the durable schedule is spent is disabled then; both with a reason and a
 * time in webhook_endpoints and an endpoint.disabled event in the Endpoint disabled workflow.
 * Re-enabling is a table edit.
 */
describe('endpoint health', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;

	beforeAll(async () => {
		n8n = await startN8n();
		n = await setUpNotifications(n8n, { retryEverySeconds: 1, deliverOptions: { durableSchedule: '1s, 1s', maxAttempts: 1 } });
		receiver = await new Receiver(n.secrets.signingSecret).start();
		receiver.script('/gone', { status: 410, body: 'gone' });
		receiver.script('/broken', { status: 500, body: 'broken' });
		await addEndpoints(n, [
			{ name: 'healthy', url: receiver.url('/healthy') },
			{ name: 'gone', url: receiver.url('/gone') },
			{ name: 'broken', url: receiver.url('/broken') },
		]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	const endpoint = async (name: string) => (await rows(n, 'endpoints', [{ columnName: 'name', condition: 'eq', value: name }]))[0];

	it('disables an endpoint that answers 410 at once, and one whose delivery exhausts the schedule when it is spent', async () => {
		const answer = await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: 'evt_health_1' })]);
		expect(answer.status).toBe(202);

		const gone = await waitFor(async () => {
			const row = await endpoint('gone');
			return row.active === false && row;
		}, { timeoutMs: 30_000, what: 'the 410 endpoint to be disabled' });
		expect(gone.disabledReason).toBe('The endpoint answered 410 Gone');
		expect(Date.now() - Date.parse(gone.disabledAt as string)).toBeLessThan(60_000);
		expect(receiver.on('/gone')).toHaveLength(1); // final at once: no retry of a 410

		const broken = await waitFor(async () => {
			const row = await endpoint('broken');
			return row.active === false && row;
		}, { timeoutMs: 60_000, what: 'the failing endpoint to be disabled' });
		expect(broken.disabledReason).toMatch(/^1 delivery\(ies\) failed after every retry within 24 h; last error: .*500/);
		// One attempt in the dispatch run, one for each of the two schedule steps.
		expect(receiver.on('/broken')).toHaveLength(3);
		const [delivery] = await rows(n, 'deliveries', [{ columnName: 'endpointName', condition: 'eq', value: 'broken' }]);
		expect(delivery).toMatchObject({ status: 'failed', attempts: 3 });
		expect(await rows(n, 'outbox')).toEqual([]); // the schedule is spent: nothing left in flight

		expect(await endpoint('healthy')).toMatchObject({ active: true, disabledReason: null });
	}, 120_000);

	it('emits one endpoint.disabled event per disabled endpoint into the Endpoint disabled workflow', async () => {
		const workflow = (await n8n.api.listWorkflows()).find((w) => w.name === OPERATIONAL_EVENTS_WORKFLOW)!;
		const events = await waitFor(async () => {
			const executions = await n8n.api.listExecutions({ workflowId: workflow.id, includeData: true });
			const items = executions.flatMap((execution) => nodeOutput(execution, 'Route It (Mail, Chat)'));
			return items.length >= 2 && items;
		}, { timeoutMs: 30_000, what: 'endpoint.disabled events' });
		expect(events).toHaveLength(2);
		const byName = Object.fromEntries(events.map((event) => [(event.data as { endpoint: { name: string } }).endpoint.name, event]));
		expect(Object.keys(byName).sort()).toEqual(['broken', 'gone']);
		expect(byName.gone).toMatchObject({
			type: 'endpoint.disabled',
			data: { endpoint: { name: 'gone', url: receiver.url('/gone') }, reason: 'The endpoint answered 410 Gone' },
		});
		expect(byName.gone.id).toMatch(/^evt_/);
	}, 60_000);

	it('sends nothing to a disabled endpoint, and delivers again once the row is set active', async () => {
		const before = receiver.on('/gone').length;
		await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: 'evt_health_2' })]);
		await waitFor(() => receiver.on('/healthy').length === 2, { timeoutMs: 30_000, what: 'the healthy endpoint to get the second event' });
		expect(receiver.on('/gone')).toHaveLength(before);

		const row = await endpoint('gone');
		receiver.script('/gone', { status: 200, body: 'back' });
		await n8n.api.request('PATCH', `/data-tables/${n.tableId.endpoints}/rows/update`, {
			body: { filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: row.id }] }, data: { active: true, disabledReason: null, disabledAt: null } },
		});
		await postEvents(n, 'billing', [catalogEvent('invoice.created', { id: 'evt_health_3' })]);
		await waitFor(() => receiver.on('/gone').some((r) => JSON.parse(r.body).id === 'evt_health_3'), { timeoutMs: 30_000, what: 'the re-enabled endpoint to get an event' });
	}, 60_000);
});
