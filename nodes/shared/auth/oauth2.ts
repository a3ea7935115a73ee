import { createHash } from 'node:crypto';
import { ClientCredentials } from 'simple-oauth2';

import { checkResolved, checkUrl, type UrlPolicy } from '../security/urlPolicy';

/** OAuth2 client credentials as the Webhook OAuth2 API credential holds them. */
export interface OAuth2ClientConfig {
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	scope?: string;
	/** How the client authenticates to the token endpoint. */
	authentication: 'header' | 'body';
	/**
	 * The address policy the token URL must pass (the endpoints' policy, with https required unless
	 * the host is among its http exceptions). Not part of the cache key.
	 */
	tokenUrlPolicy?: UrlPolicy;
}

export class TokenError extends Error {
	constructor(
		message: string,
		readonly statusCode?: number,
	) {
		super(message);
		this.name = 'TokenError';
	}
}

/**
 * Refresh this long before the token's own expiry, so a token never expires in flight: 60 s, or a
 * fifth of a shorter lifetime (a 30 s token is reused for 24 s, a 10 s one for 8 s).
 */
export function refreshMargin(lifetimeMs: number): number {
	return Math.min(60_000, lifetimeMs / 5);
}
/** Tokens without `expires_in` are kept until an endpoint answers 401, but not longer than this. */
const NO_EXPIRY_TTL_MS = 10 * 60_000;
const TOKEN_TIMEOUT_MS = 15_000;

export interface CachedToken {
	accessToken: string;
	/** When a new token is fetched: the expiry minus the refresh margin. */
	refreshAt: number;
}

/**
 * One cache per process, keyed by a hash of the whole credential (so a changed secret gets a new
 * token), with one request in flight per key however many deliveries ask at once.
 */
export class TokenProvider {
	private readonly tokens = new Map<string, CachedToken>();
	private readonly inFlight = new Map<string, Promise<CachedToken>>();

	constructor(
		private readonly now: () => number = Date.now,
		/** How a token is fetched: the token endpoint, or a stand-in in unit tests. */
		private readonly fetchToken: (config: OAuth2ClientConfig, now: () => number) => Promise<CachedToken> = requestToken,
	) {}

	async getToken(config: OAuth2ClientConfig): Promise<string> {
		const key = cacheKey(config);
		const cached = this.tokens.get(key);
		if (cached && cached.refreshAt > this.now()) return cached.accessToken;
		return (await this.fetchOnce(key, config)).accessToken;
	}

	/** Forget a token an endpoint refused, unless another caller already replaced it. */
	invalidate(config: OAuth2ClientConfig, rejectedToken: string): void {
		const key = cacheKey(config);
		if (this.tokens.get(key)?.accessToken === rejectedToken) this.tokens.delete(key);
	}

	private fetchOnce(key: string, config: OAuth2ClientConfig): Promise<CachedToken> {
		let pending = this.inFlight.get(key);
		if (!pending) {
			pending = this.fetchToken(config, this.now)
				.then((token) => {
					this.tokens.set(key, token);
					return token;
				})
				.finally(() => this.inFlight.delete(key));
			this.inFlight.set(key, pending);
		}
		return pending;
	}
}

export const sharedTokenProvider = new TokenProvider();

function cacheKey(config: OAuth2ClientConfig): string {
	return createHash('sha256')
		.update(JSON.stringify([config.tokenUrl, config.clientId, config.clientSecret, config.scope ?? '', config.authentication]))
		.digest('hex');
}

/** A token as cached: reused until `refreshAt`, a margin before it expires. */
export function cachedToken(accessToken: string, lifetimeMs: number, now: number): CachedToken {
	return { accessToken, refreshAt: now + lifetimeMs - refreshMargin(lifetimeMs) };
}

async function requestToken(config: OAuth2ClientConfig, now: () => number): Promise<CachedToken> {
	const url = URL.canParse(config.tokenUrl) ? new URL(config.tokenUrl) : undefined;
	if (!url) throw new TokenError('The OAuth2 access token URL is not a valid URL');
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TokenError('The OAuth2 access token URL must be http(s)');
	if (config.tokenUrlPolicy) await checkTokenUrl(url, config.tokenUrlPolicy);
	const client = new ClientCredentials({
		client: { id: config.clientId, secret: config.clientSecret },
		auth: { tokenHost: url.origin, tokenPath: `${url.pathname}${url.search}` },
		options: { authorizationMethod: config.authentication === 'body' ? 'body' : 'header' },
	});
	const scope = config.scope?.trim();
	const token = await client.getToken(scope ? { scope } : {}, { timeout: TOKEN_TIMEOUT_MS }).then(
		(accessToken) => accessToken.token,
		(error: unknown) => describeTokenError(error),
	);
	if (token instanceof TokenError) throw token;
	const accessToken = token.access_token;
	if (typeof accessToken !== 'string' || accessToken.length === 0) {
		throw new TokenError('The token endpoint answered without an access_token');
	}
	const expiresIn = Number(token.expires_in);
	const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : NO_EXPIRY_TTL_MS;
	return cachedToken(accessToken, ttl, now());
}

/**
 * The token URL passes the endpoints' address policy, and must be https unless its host is
 * explicitly allowed plain http: the client secret goes there. The refusal is the policy's own
 * message, so a credential test cannot be used to probe which private hosts and ports answer.
 */
export async function checkTokenUrl(url: URL, policy: UrlPolicy): Promise<void> {
	const refusal = await Promise.resolve()
		.then(async () => {
			checkUrl(url.href, { ...policy, requireHttps: true });
			await checkResolved(url.hostname, policy);
		})
		.then(
			() => undefined,
			(error: NodeJS.ErrnoException) =>
				error.name === 'UrlPolicyError'
					? `The OAuth2 access token URL is refused: ${error.message}`
					: `The OAuth2 token endpoint could not be reached${error.code && /^[A-Z_]{2,32}$/.test(error.code) ? ` (${error.code})` : ''}`,
		);
	if (refusal) throw new TokenError(refusal);
}

/**
 * simple-oauth2's errors carry the raw request and response (and so the client secret in the
 * Authorization header): never pass them on; keep the status and the OAuth2 error code only.
 */
function describeTokenError(error: unknown): TokenError {
	const boom = error as { output?: { statusCode?: number }; data?: { payload?: unknown; isResponseError?: boolean }; code?: string };
	const statusCode = boom.data?.isResponseError ? boom.output?.statusCode : undefined;
	if (statusCode) {
		const payload = boom.data?.payload as { error?: unknown } | undefined;
		const oauthError = typeof payload?.error === 'string' && /^[\w.-]{1,64}$/.test(payload.error) ? ` (${payload.error})` : '';
		return new TokenError(`The OAuth2 token endpoint answered ${statusCode}${oauthError}`, statusCode);
	}
	const code = typeof boom.code === 'string' && /^[A-Z_]{2,32}$/.test(boom.code) ? ` (${boom.code})` : '';
	const timedOut = /timed? ?out/i.test(String((error as Error)?.message)) ? ' (timeout)' : '';
	return new TokenError(`The OAuth2 token endpoint could not be reached${code || timedOut}`);
}
