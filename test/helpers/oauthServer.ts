import { OAuth2Server } from 'oauth2-mock-server';

/**
 * The real oauth2-mock-server, made strict the way a partner's token endpoint is: it checks the
 * client ID and secret (Basic header or form body) and remembers the tokens it issued, so a
 * receiver can accept only those and a test can revoke them.
 */
export class StrictOAuthServer {
	readonly server = new OAuth2Server();
	readonly issued = new Set<string>();
	tokenRequests = 0;
	/** Seconds until issued tokens expire. */
	expiresIn = 3600;
	/** Answer the token endpoint with this status instead (a token endpoint that is down). */
	failWith?: number;
	lastAuthMethod?: 'header' | 'body';

	constructor(
		readonly clientId: string,
		readonly clientSecret: string,
	) {
		this.server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
			token.payload.exp = Math.floor(Date.now() / 1000) + this.expiresIn;
		});
		this.server.service.on('beforeResponse', (response: { body: Record<string, unknown>; statusCode: number }, req: { headers: Record<string, string>; body: Record<string, string> }) => {
			this.tokenRequests++;
			const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
			let id: string | undefined;
			let secret: string | undefined;
			if (basic) {
				const [rawId, rawSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
				[id, secret] = [decodeURIComponent(rawId), decodeURIComponent(rawSecret ?? '')];
				this.lastAuthMethod = 'header';
			} else {
				[id, secret] = [req.body.client_id, req.body.client_secret];
				this.lastAuthMethod = 'body';
			}
			if (this.failWith) {
				response.statusCode = this.failWith;
				response.body = { error: 'temporarily_unavailable' };
			} else if (id !== this.clientId || secret !== this.clientSecret) {
				response.statusCode = 401;
				response.body = { error: 'invalid_client' };
			} else {
				response.body.expires_in = this.expiresIn;
				this.issued.add(String(response.body.access_token));
			}
		});
	}

	private host = '127.0.0.1';

	/** Listens on a loopback address (127.0.0.1 or ::1); the token URL names it, so the address policy judges that address. */
	async start(host = '127.0.0.1'): Promise<this> {
		await this.server.issuer.keys.generate('RS256');
		await this.server.start(0, host);
		this.host = host;
		return this;
	}

	get tokenUrl(): string {
		const { port } = this.server.address();
		return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}/token`;
	}

	/** Whether an Authorization header carries a token this server issued and has not revoked. */
	accepts(authorization: string | undefined): boolean {
		const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		return token !== undefined && this.issued.has(token);
	}

	revokeAll(): void {
		this.issued.clear();
	}

	stop(): Promise<void> {
		return this.server.stop();
	}
}
