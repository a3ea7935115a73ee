import { randomBytes } from 'node:crypto';

import { OPERATIONAL_EVENTS_WORKFLOW } from '../../starter';
import { STORAGE_REFUSED_MESSAGE } from '../../starter/dispatch';
import { Receiver } from '../helpers/receiver';
import { startN8n, waitFor, type N8n } from '../../tools/harness';
import { addEndpoints, catalogEvent, postEvents, rows, setUpNotifications, type Notifications } from '../../tools/notifications';

/**
 * n8n with a small data-table space (N8N_DATA_TABLES_MAX_SIZE_BYTES), filled while events keep
 * coming and Retention is kept from trimming: the operators are warned first (a storage.warning
 * operational event), every event n8n can no longer record is refused with 503, Retry-After and the
 * reason, and every event acknowledged before that is still delivered.
 */
const LIMIT = 1024 * 1024;

describe('when the data-table space runs out', () => {
	let n8n: N8n;
	let n: Notifications;
	let receiver: Receiver;

	beforeAll(async () => {
		n8n = await startN8n({ env: { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(LIMIT), N8N_DATA_TABLES_SIZE_CHECK_CACHE_DURATION_MS: '1000' } });
		n = await setUpNotifications(n8n, {
			dataTableLimitBytes: LIMIT,
			overrides: { 'Every 5 Minutes.rule': { interval: [{ field: 'seconds', secondsInterval: 2 }] } },
			// Retention must not make room here: the test is about what happens when nothing does.
			settings: { trimAbovePercent: 1000, warnAbovePercent: 60 },
		});
		receiver = await new Receiver(n.secrets.signingSecret).start();
		await addEndpoints(n, [{ name: 'partner', url: receiver.url('/partner') }]);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
	}, 60_000);

	it('warns first, then refuses with 503 and the reason, and delivers everything it acknowledged', async () => {
		const acknowledged = new Set<string>();
		const wrong: string[] = [];
		let refused = 0;
		let firstRefusalAt = 0;
		const started = Date.now();
		let next = 0;
		// Three sources at once, each event with 2 KB of data that does not compress (bodies are stored deflated).
		const source = async () => {
			while (refused < 5 && Date.now() - started < 240_000) {
				const i = next++;
				const event = { ...catalogEvent('invoice.created', { id: `evt_full_${i}` }), data: { ...catalogEvent('invoice.created').data, note: randomBytes(1000).toString('hex') } };
				const response = await fetchAnswer(() => postEvents(n, 'billing', [event]));
				if (response.status === 202 && response.body.accepted?.[0] === event.id) acknowledged.add(event.id);
				else if (response.status === 503 && response.body?.message === STORAGE_REFUSED_MESSAGE && response.retryAfter === '60') {
					refused++;
					firstRefusalAt ||= Date.now();
				} else wrong.push(`${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
			}
		};
		await Promise.all([source(), source(), source()]);
		expect(refused).toBeGreaterThan(0);

		const delivered = () => new Set(receiver.on('/partner').map((request) => JSON.parse(request.body).id as string));
		await waitFor(() => [...acknowledged].every((id) => delivered().has(id)), { timeoutMs: 120_000, what: 'every acknowledged event delivered' }).catch(() => undefined);
		const lost = [...acknowledged].filter((id) => !delivered().has(id));

		// The warning: an execution of the Operational events workflow carrying storage.warning, before the first refusal.
		const workflow = (await n8n.api.listWorkflows()).find((candidate) => candidate.name === OPERATIONAL_EVENTS_WORKFLOW)!;
		const executions = await n8n.api.listExecutions({ workflowId: workflow.id, includeData: true, limit: 50 });
		const warnings = executions.filter((execution) => JSON.stringify(execution.data ?? '').includes('storage.warning'));
		const firstWarningAt = Math.min(...warnings.map((execution) => Date.parse(execution.startedAt as string)));
		const alerted = warnings.length > 0 && firstWarningAt < firstRefusalAt;
		if (!alerted) {
			const retentionId = n.setup.workflows['Webhook Notifications: Retention'].id;
			const runs = await n8n.api.listExecutions({ workflowId: retentionId, includeData: true, limit: 3 });
			process.stdout.write(`storage: no warning; operational runs=${executions.length}; last retention runs: ${JSON.stringify(runs.map((run) => [run.status, run.data?.resultData.lastNodeExecuted, run.data?.resultData.error?.message, run.data?.resultData.runData.Usage?.[0]?.data?.main?.[0]?.[0]?.json])).slice(0, 1500)}\n`);
		}
		process.stdout.write(
			`storage: limit_bytes=${LIMIT} refused_503=${refused} acknowledged=${acknowledged.size} delivered=${acknowledged.size - lost.length} lost=${lost.length} alerted=${alerted ? 'yes' : 'no'}\n`,
		);
		expect(wrong).toEqual([]);
		expect(acknowledged.size).toBeGreaterThan(0);
		expect(lost).toEqual([]);
		expect(alerted).toBe(true);
		// Nothing acknowledged is stuck in flight once delivered.
		await waitFor(async () => (await rows(n, 'outbox')).length === 0, { timeoutMs: 60_000, what: 'the outbox to empty' }).catch(async (error) => {
			const left = (await rows(n, 'outbox')).map((row) => [row.eventId, row.status, row.attempts, row.claim, row.dueAt, String(row.error ?? '').slice(0, 80)]);
			process.stdout.write(`storage: outbox left ${JSON.stringify(left).slice(0, 2000)}\n`);
			throw error;
		});
	}, 8 * 60_000);
});

/** The answer with its Retry-After header, however the request ended (a reset counts as a wrong answer). */
async function fetchAnswer(post: () => Promise<{ status: number; body: any; headers?: Headers }>) {
	try {
		const answer = await post();
		return { ...answer, retryAfter: answer.headers?.get('retry-after') ?? null };
	} catch (error) {
		return { status: 0, body: String(error), retryAfter: null };
	}
}
