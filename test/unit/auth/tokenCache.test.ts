import { cachedToken, refreshMargin, TokenProvider, type OAuth2ClientConfig } from '../../../nodes/shared/auth/oauth2';

/** The token cache with tokens of 10 s, 30 s and 1 h: each reused for most of its life, renewed before it ends. */
describe('OAuth2 token cache', () => {
	const config: OAuth2ClientConfig = { tokenUrl: 'https://auth.partner.example/token', clientId: 'c', clientSecret: 's', authentication: 'header' };

	function provider(lifetimeMs: number) {
		let now = 1_000_000;
		let issued = 0;
		const tokens = new TokenProvider(
			() => now,
			async (_config, clock) => cachedToken(`token-${++issued}`, lifetimeMs, clock()),
		);
		return { tokens, advance: (ms: number) => (now += ms), issued: () => issued };
	}

	test.each([
		// lifetime, reused until (a fifth, at most 60 s, before it expires)
		[10_000, 8_000],
		[30_000, 24_000],
		[3_600_000, 3_540_000],
	])('a %i ms token is reused until %i ms, then renewed', async (lifetimeMs, reusedUntil) => {
		const { tokens, advance, issued } = provider(lifetimeMs);
		expect(await tokens.getToken(config)).toBe('token-1');
		advance(reusedUntil - 1);
		expect(await tokens.getToken(config)).toBe('token-1');
		expect(issued()).toBe(1);
		advance(1);
		expect(await tokens.getToken(config)).toBe('token-2');
		expect(issued()).toBe(2);
	});

	test('the margin is 60 s, or a fifth of a shorter lifetime', () => {
		expect(refreshMargin(10_000)).toBe(2_000);
		expect(refreshMargin(30_000)).toBe(6_000);
		expect(refreshMargin(300_000)).toBe(60_000);
		expect(refreshMargin(3_600_000)).toBe(60_000);
	});

	test('many callers at once share one token request', async () => {
		const { tokens, issued } = provider(30_000);
		const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken(config)));
		expect(new Set(all)).toEqual(new Set(['token-1']));
		expect(issued()).toBe(1);
	});

	test('a refused token is dropped; another credential has a cache of its own', async () => {
		const { tokens, issued } = provider(3_600_000);
		const first = await tokens.getToken(config);
		tokens.invalidate(config, first);
		expect(await tokens.getToken(config)).toBe('token-2');
		expect(await tokens.getToken({ ...config, clientSecret: 'other' })).toBe('token-3');
		expect(issued()).toBe(3);
	});
});
