import { oauth2Authentication } from '../../nodes/shared/auth/authenticator';
import { TokenProvider, type OAuth2ClientConfig } from '../../nodes/shared/auth/oauth2';
import { dispatcher, jobFor, sampleEvent } from '../helpers/deliveries';
import { StrictOAuthServer } from '../helpers/oauthServer';
import { Receiver } from '../helpers/receiver';

const clientId = 'partner-client';
const clientSecret = 'cl1ent-s3cret-never-shown';

describe('OAuth2 client credentials against a real OAuth2 server (oauth2-mock-server)', () => {
	let oauth: StrictOAuthServer;
	let receiver: Receiver;
	let config: OAuth2ClientConfig;

	beforeEach(async () => {
		oauth = await new StrictOAuthServer(clientId, clientSecret).start();
		receiver = await new Receiver().start();
		// The receiver accepts only bearer tokens the OAuth2 server issued and has not revoked.
		receiver.script('/api', { status: 200 });
		config = { tokenUrl: oauth.tokenUrl, clientId, clientSecret, scope: 'webhooks:write', authentication: 'header' };
	});
	afterEach(async () => {
		await receiver.stop();
		await oauth.stop();
	});

	/** Deliver to a receiver that checks the token with the OAuth2 server's list of issued tokens. */
	async function deliverChecked(provider: TokenProvider, cfg = config) {
		const gate = await new Receiver().start();
		gate.authorize = (headers) => oauth.accepts(headers.authorization);
		try {
			const result = await dispatcher({}, { maxAttempts: 1 }).deliver(jobFor(gate.url('/api'), sampleEvent(), { authenticator: oauth2Authentication(cfg, provider) }));
			return { result, gate: gate.requests.slice() };
		} finally {
			await gate.stop();
		}
	}

	test('a token is fetched once and reused for many deliveries', async () => {
		const provider = new TokenProvider();
		for (let i = 0; i < 5; i++) expect((await deliverChecked(provider)).result.status).toBe('sent');
		expect(oauth.tokenRequests).toBe(1);
		expect(oauth.lastAuthMethod).toBe('header');
	});

	test('concurrent deliveries share one token request', async () => {
		const provider = new TokenProvider();
		const jobs = Array.from({ length: 10 }, () => jobFor(receiver.url('/api'), sampleEvent(), { authenticator: oauth2Authentication(config, provider) }));
		const results = await dispatcher().deliverAll(jobs);
		expect(results.every((result) => result.status === 'sent')).toBe(true);
		expect(oauth.tokenRequests).toBe(1);
		expect(receiver.on('/api').every((request) => oauth.accepts(request.headers.authorization))).toBe(true);
	});

	test('credentials in the request body work too', async () => {
		const { result } = await deliverChecked(new TokenProvider(), { ...config, authentication: 'body' });
		expect(result.status).toBe('sent');
		expect(oauth.lastAuthMethod).toBe('body');
	});

	test('a revoked token: the 401 fetches a fresh token once and the same attempt succeeds', async () => {
		const provider = new TokenProvider();
		await deliverChecked(provider);
		oauth.revokeAll();
		const { result, gate } = await deliverChecked(provider);
		expect(result).toMatchObject({ status: 'sent', attempts: 1, responseCode: 200 });
		expect(gate.map((request) => request.path)).toEqual(['unauthorized', '/api']);
		expect(oauth.tokenRequests).toBe(2);
	});

	test('a token near its expiry is replaced before use', async () => {
		let now = Date.now();
		const provider = new TokenProvider(() => now);
		oauth.expiresIn = 120;
		await deliverChecked(provider);
		now += 61_000; // a 120 s token is reused until 24 s (a fifth of its life) before it expires
		await deliverChecked(provider);
		expect(oauth.tokenRequests).toBe(1);
		now += 36_000; // now within those 24 s
		await deliverChecked(provider);
		expect(oauth.tokenRequests).toBe(2);
	});

	test('a wrong client secret: the delivery is retried later, and no secret shows up anywhere', async () => {
		const { result } = await deliverChecked(new TokenProvider(), { ...config, clientSecret: 'wrong-secret-value' });
		expect(result.status).toBe('retrying');
		expect(result.error).toBe('The OAuth2 token endpoint answered 401 (invalid_client)');
		const text = JSON.stringify(result);
		expect(text).not.toContain('wrong-secret-value');
		expect(text).not.toContain(clientSecret);
	});

	test('a token endpoint that is down: retried later with a clear error, then delivered once it is back', async () => {
		const provider = new TokenProvider();
		oauth.failWith = 503;
		const first = await deliverChecked(provider);
		expect(first.result.status).toBe('retrying');
		expect(first.result.error).toBe('The OAuth2 token endpoint answered 503 (temporarily_unavailable)');
		expect(first.gate).toHaveLength(0);
		oauth.failWith = undefined;
		expect((await deliverChecked(provider)).result.status).toBe('sent');
	});

	test('an unreachable token endpoint is reported without the secret', async () => {
		const url = oauth.tokenUrl;
		await oauth.stop();
		oauth = await new StrictOAuthServer(clientId, clientSecret).start(); // for afterEach
		await expect(new TokenProvider().getToken({ ...config, tokenUrl: url })).rejects.toThrow(/could not be reached/);
		await expect(new TokenProvider().getToken({ ...config, tokenUrl: 'not a url' })).rejects.toThrow('The OAuth2 access token URL is not a valid URL');
	});
});
