import { secretHeaders, type SecretHeaderConfig } from './secretHeader';
import { sharedTokenProvider, type OAuth2ClientConfig, type TokenProvider } from './oauth2';

/** How one attempt authenticates to a receiver. */
export interface Authenticator {
	/** Headers for the next request; may throw a TokenError when no token can be had. */
	headers(): Promise<Record<string, string>>;
	/** After a 401: drop what was refused; true when asking again with fresh headers makes sense. */
	renewAfterUnauthorized(sentHeaders: Record<string, string>): boolean;
	/** Values to scrub from anything a receiver sends back. */
	readonly secretValues: string[];
}

export const noAuthentication: Authenticator = {
	headers: async () => ({}),
	renewAfterUnauthorized: () => false,
	secretValues: [],
};

export function secretHeaderAuthentication(config: SecretHeaderConfig): Authenticator {
	return headersAuthentication(secretHeaders(config)); // validated once, before any request
}

/** Fixed headers (validated by the caller), on their own or added to another authenticator's. */
export function headersAuthentication(headers: Record<string, string>, base: Authenticator = noAuthentication): Authenticator {
	if (Object.keys(headers).length === 0) return base;
	const values = Object.values(headers).filter((value) => value.length >= 4);
	if (base === noAuthentication) {
		return { headers: async () => headers, renewAfterUnauthorized: () => false, secretValues: values };
	}
	return {
		headers: async () => ({ ...headers, ...(await base.headers()) }),
		renewAfterUnauthorized: (sent) => base.renewAfterUnauthorized(sent),
		// The base's list grows (tokens): read through it rather than copy it.
		get secretValues() {
			return [...values, ...base.secretValues];
		},
	};
}

export function oauth2Authentication(config: OAuth2ClientConfig, provider: TokenProvider = sharedTokenProvider): Authenticator {
	// The pair too: a receiver echoing a Basic header shows base64 of "id:secret" (plain or form-encoded, RFC 6749 2.3.1).
	const secretValues = [
		config.clientSecret,
		`${config.clientId}:${config.clientSecret}`,
		`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`,
	];
	return {
		async headers() {
			const token = await provider.getToken(config);
			if (!secretValues.includes(token)) secretValues.push(token);
			return { authorization: `Bearer ${token}` };
		},
		renewAfterUnauthorized(sentHeaders) {
			const token = sentHeaders.authorization?.replace(/^Bearer /, '');
			if (token) provider.invalidate(config, token);
			return true;
		},
		secretValues,
	};
}
