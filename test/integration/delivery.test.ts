import { secretHeaderAuthentication } from '../../nodes/shared/auth/authenticator';
import { defaultDurableSchedule } from '../../nodes/shared/delivery/retryPolicy';
import { dispatcher, jobFor, sampleEvent } from '../helpers/deliveries';
import { Receiver, newSigningSecret } from '../helpers/receiver';

describe('delivery to a real receiver on loopback', () => {
	const secret = newSigningSecret();
	let receiver: Receiver;

	beforeEach(async () => {
		receiver = await new Receiver(secret).start();
	});
	afterEach(() => receiver.stop());

	test('a 200 is sent in one attempt, signed so that standardwebhooks and svix both verify it', async () => {
		const event = sampleEvent();
		const job = jobFor(receiver.url('/ok'), event, { signingSecrets: [secret] });
		const result = await dispatcher().deliver(job);

		expect(result).toMatchObject({ status: 'sent', attempts: 1, responseCode: 200, responseBody: 'ok', error: null, nextAttemptAt: null });
		expect(result.attemptLog).toHaveLength(1);
		const [request] = receiver.on('/ok');
		expect(request.verifiedByStandardWebhooks).toBe(true);
		expect(request.verifiedBySvix).toBe(true);
		expect(request.headers['webhook-id']).toBe(result.deliveryId);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['user-agent']).toMatch(/^n8n-nodes-webhook-notifications\/\d+\.\d+\.\d+$/);
		expect(JSON.parse(request.body)).toEqual(event);
		expect(request.body).toBe(result.payload);
	});

	test('during a secret rotation both the new and the previous secret verify', async () => {
		const previous = newSigningSecret();
		const onlyPrevious = await new Receiver(previous).start();
		try {
			await dispatcher().deliver(jobFor(onlyPrevious.url('/r'), sampleEvent(), { signingSecrets: [secret, previous] }));
			await dispatcher().deliver(jobFor(receiver.url('/r'), sampleEvent(), { signingSecrets: [secret, previous] }));
			expect(onlyPrevious.on('/r')[0].headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
			expect(onlyPrevious.on('/r')[0].verifiedByStandardWebhooks).toBe(true);
			expect(onlyPrevious.on('/r')[0].verifiedBySvix).toBe(true);
			expect(receiver.on('/r')[0].verifiedBySvix).toBe(true);
		} finally {
			await onlyPrevious.stop();
		}
	});

	test('500 then 200: retried with the same webhook-id and body, sent on the second attempt', async () => {
		receiver.script('/flaky', { status: 500, body: 'oops' }, { status: 200, body: 'ok' });
		const result = await dispatcher().deliver(jobFor(receiver.url('/flaky'), sampleEvent(), { signingSecrets: [secret] }));

		expect(result.status).toBe('sent');
		expect(result.attempts).toBe(2);
		expect(result.attemptLog.map((attempt) => attempt.responseCode)).toEqual([500, 200]);
		const [first, second] = receiver.on('/flaky');
		expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
		expect(second.body).toBe(first.body);
		expect(second.verifiedBySvix).toBe(true);
	});

	test('429 with Retry-After: the next attempt waits at least that long', async () => {
		receiver.script('/busy', { status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
		const result = await dispatcher().deliver(jobFor(receiver.url('/busy')));

		expect(result.status).toBe('sent');
		const [first, second] = result.attemptLog;
		expect(Date.parse(second.attemptedAt) - Date.parse(first.attemptedAt)).toBeGreaterThanOrEqual(1000);
	});

	test('429 with a Retry-After beyond the cap is handed to the durable schedule, not waited for', async () => {
		receiver.script('/later', { status: 429, headers: { 'retry-after': '120' } });
		const before = Date.now();
		const result = await dispatcher({}, { retryAfterCapMs: 30_000 }).deliver(jobFor(receiver.url('/later')));

		expect(result.status).toBe('retrying');
		expect(result.attempts).toBe(1);
		expect(result.retryRound).toBe(1);
		expect(Date.parse(result.nextAttemptAt!)).toBeGreaterThanOrEqual(before + 120_000);
	});

	test('410 Gone is final and marks the endpoint as gone', async () => {
		receiver.script('/gone', { status: 410 });
		const result = await dispatcher().deliver(jobFor(receiver.url('/gone')));
		expect(result).toMatchObject({ status: 'failed', endpointGone: true, attempts: 1, responseCode: 410 });
		expect(result.error).toMatch(/410/);
	});

	test.each([400, 401, 403, 404, 422])('%i is retried, then handed to the durable schedule (a partner\'s bad minute must not drop the event)', async (status) => {
		receiver.script('/no', { status });
		const result = await dispatcher({}, { maxAttempts: 2 }).deliver(jobFor(receiver.url('/no')));
		expect(result).toMatchObject({ status: 'retrying', attempts: 2, endpointGone: false, responseCode: status, retryRound: 1 });
		expect(result.nextAttemptAt).not.toBeNull();
		expect(receiver.on('/no')).toHaveLength(2);
	});

	test('a code listed in Final Status Codes is final at once', async () => {
		receiver.script('/no', { status: 400 });
		const result = await dispatcher({}, { finalStatusCodes: [400, 410] }).deliver(jobFor(receiver.url('/no')));
		expect(result).toMatchObject({ status: 'failed', attempts: 1, endpointGone: false, responseCode: 400, nextAttemptAt: null });
		expect(receiver.on('/no')).toHaveLength(1);
	});

	test('a 302 is a failure that is retried, and the redirect is not followed', async () => {
		receiver.script('/moved', { status: 302, headers: { location: receiver.url('/elsewhere') } });
		const result = await dispatcher({}, { maxAttempts: 1 }).deliver(jobFor(receiver.url('/moved')));
		expect(result).toMatchObject({ status: 'retrying', responseCode: 302 });
		expect(receiver.on('/elsewhere')).toHaveLength(0);
	});

	test('a receiver that hangs past the timeout: each attempt times out, then the durable schedule takes over', async () => {
		receiver.script('/hang', 'hang');
		const result = await dispatcher({ timeoutMs: 300 }, { maxAttempts: 2 }).deliver(jobFor(receiver.url('/hang')));

		expect(result.status).toBe('retrying');
		expect(result.attempts).toBe(2);
		expect(result.attemptLog.every((attempt) => attempt.error === 'No answer within 300 ms' && attempt.responseCode === null)).toBe(true);
		expect(Date.parse(result.nextAttemptAt!) - Date.parse(result.lastAttemptAt!)).toBeGreaterThanOrEqual(defaultDurableSchedule[0]);
	});

	test('a connection reset is retried', async () => {
		receiver.script('/reset', 'reset', { status: 204 });
		const result = await dispatcher().deliver(jobFor(receiver.url('/reset')));
		expect(result.status).toBe('sent');
		expect(result.attemptLog[0].error).toMatch(/ECONNRESET|socket hang up/);
		expect(result.attemptLog[1].responseCode).toBe(204);
	});

	test('a closed port is a connection error, retried, then scheduled', async () => {
		const closed = await new Receiver().start();
		const url = closed.url('/x');
		await closed.stop();
		const result = await dispatcher({}, { maxAttempts: 2 }).deliver(jobFor(url));
		expect(result.status).toBe('retrying');
		expect(result.error).toMatch(/ECONNREFUSED/);
	});

	test('a later run continues the delivery: same webhook-id and body, attempts counted on, schedule spent means failed', async () => {
		receiver.script('/down', { status: 503 });
		const policy = { maxAttempts: 1, durableScheduleMs: [10, 10] };
		const job = jobFor(receiver.url('/down'));
		const first = await dispatcher({}, policy).deliver(job);
		expect(first).toMatchObject({ status: 'retrying', attempts: 1, retryRound: 1 });

		const previous = (r: typeof first) => ({ attempts: r.attempts, firstAttemptAt: r.firstAttemptAt, retryRound: r.retryRound });
		const second = await dispatcher({}, policy).deliver({ ...job, previous: previous(first) });
		expect(second).toMatchObject({ status: 'retrying', attempts: 2, retryRound: 2, firstAttemptAt: first.firstAttemptAt });
		expect(second.attemptLog.map((attempt) => attempt.attempt)).toEqual([2]);

		const third = await dispatcher({}, policy).deliver({ ...job, previous: previous(second) });
		expect(third).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });

		const ids = new Set(receiver.on('/down').map((request) => request.headers['webhook-id']));
		const bodies = new Set(receiver.on('/down').map((request) => request.body));
		expect(ids).toEqual(new Set([job.deliveryId]));
		expect(bodies).toEqual(new Set([job.payload]));
	});

	test('a manual resend of a failed delivery that fails stays failed and schedules nothing', async () => {
		receiver.script('/down', { status: 500 });
		const result = await dispatcher({}, { maxAttempts: 1 }).deliver(
			jobFor(receiver.url('/down'), sampleEvent(), {
				trigger: 'manual',
				previous: { attempts: 8, firstAttemptAt: '2026-11-20T00:00:00.000Z', retryRound: 7, status: 'failed', nextAttemptAt: null },
			}),
		);
		expect(result).toMatchObject({ status: 'failed', attempts: 9, retryRound: 7, nextAttemptAt: null, firstAttemptAt: '2026-11-20T00:00:00.000Z' });
		expect(result.attemptLog[0]).toMatchObject({ attempt: 9, trigger: 'manual' });
	});

	test('the response body is kept only up to the limit', async () => {
		receiver.script('/big', { status: 500, body: 'x'.repeat(100_000) });
		const result = await dispatcher({ responseBodyLimit: 100, responseReadLimit: 10_000 }, { maxAttempts: 1 }).deliver(jobFor(receiver.url('/big')));
		expect(result.responseBody!.startsWith('x'.repeat(100))).toBe(true);
		expect(result.responseBody!.length).toBeLessThan(200);
		expect(result.responseBody).toMatch(/truncated/);
	});

	test('a receiver echoing the secret header does not put the secret in the result', async () => {
		const headerSecret = 'super-secret-token-value-123';
		receiver.script('/echo', { status: 400, body: `you sent x-webhook-secret: ${headerSecret}` });
		const authenticator = secretHeaderAuthentication({ headerName: 'x-webhook-secret', secret: headerSecret });
		const result = await dispatcher().deliver(jobFor(receiver.url('/echo'), sampleEvent(), { authenticator }));
		expect(receiver.on('/echo')[0].headers['x-webhook-secret']).toBe(headerSecret);
		expect(JSON.stringify(result)).not.toContain(headerSecret);
		expect(result.responseBody).toContain('[redacted]');
	});

	test('loopback is refused unless allowed: no request is made and the error says why', async () => {
		const result = await dispatcher({ urlPolicy: { blockPrivateAddresses: true, requireHttps: false, allowedHosts: [] } }).deliver(
			jobFor(receiver.url('/private')),
		);
		expect(result).toMatchObject({ status: 'failed', attempts: 1, responseCode: null });
		expect(result.error).toMatch(/Refused to connect to 127\.0\.0\.1/);
		expect(receiver.requests).toHaveLength(0);
	});

	test('a host name that resolves to loopback is refused after DNS resolution', async () => {
		const url = receiver.url('/private').replace('127.0.0.1', 'localhost');
		const result = await dispatcher({ urlPolicy: { blockPrivateAddresses: true, requireHttps: false, allowedHosts: ['127.0.0.2'] } }).deliver(jobFor(url));
		expect(result.status).toBe('failed');
		expect(result.error).toMatch(/Refused to connect to localhost \((127\.0\.0\.1|::1)\)/);
		expect(receiver.requests).toHaveLength(0);
	});

	test('Require HTTPS refuses http URLs', async () => {
		const result = await dispatcher({ urlPolicy: { blockPrivateAddresses: false, requireHttps: true, allowedHosts: [] } }).deliver(jobFor(receiver.url('/x')));
		expect(result.status).toBe('failed');
		expect(result.error).toMatch(/https/);
		expect(receiver.requests).toHaveLength(0);
	});

	test('concurrency per endpoint is bounded, and results keep the order of the jobs', async () => {
		receiver.script('/slow', { status: 200, delayMs: 30 });
		const jobs = Array.from({ length: 40 }, () => jobFor(receiver.url('/slow')));
		const results = await dispatcher({ maxConcurrency: 20, maxConcurrencyPerEndpoint: 3 }).deliverAll(jobs);
		expect(results.map((result) => result.deliveryId)).toEqual(jobs.map((job) => job.deliveryId));
		expect(results.every((result) => result.status === 'sent')).toBe(true);
		expect(receiver.maxInFlight).toBeLessThanOrEqual(3);
		expect(receiver.maxInFlight).toBeGreaterThan(1);
	});
});
