import { headersAuthentication, noAuthentication, oauth2Authentication, type Authenticator } from '../auth/authenticator';
import { headersOf, openAuth, openSigning, signingSecretsAt } from '../auth/endpointSecrets';
import { assertHostBound } from '../security/hostBinding';
import type { SealingKeys } from '../security/sealing';
import type { UrlPolicy } from '../security/urlPolicy';
import type { EndpointAuthentication, SealedSecrets } from './endpoint';

/** How one endpoint is sent to: its authenticator, and its own signing secrets when it has them. */
export type EndpointSending = Authenticator & { signingSecrets?: string[] };
export interface SendingTarget {
	id?: string | number | null;
	url: string;
	authentication?: EndpointAuthentication;
	sealed?: SealedSecrets;
}
export type AuthenticatorFor = (endpoint: SendingTarget) => EndpointSending | { error: string };

/** A node-level credential, built once per run, with the hosts it may be sent to. */
export type NodeCredential = { authenticator: Authenticator; allowedHosts: string[]; name: string } | { error: string };

export interface SendingSetup {
	/** The node's Authentication setting. */
	mode: 'none' | 'secretHeader' | 'oauth2' | 'perEndpoint';
	credentials: Partial<Record<'secretHeader' | 'oauth2', NodeCredential>>;
	/** The Webhook Endpoint Secrets Key credential's keys; absent when the node has none. */
	keys?: SealingKeys;
	/** The endpoints' address policy: the token URL of an endpoint's own OAuth2 client must pass it too. */
	urlPolicy: UrlPolicy;
	now?: () => Date;
}

/**
 * Picks how each endpoint is authenticated and signed. An endpoint's own secrets come first (opened
 * for its id and, for what is sent, its current host); otherwise the node's credential that its
 * mode names, and only when the endpoint's host is one the credential is bound to.
 */
export function endpointSending(setup: SendingSetup): AuthenticatorFor {
	const opened = new Map<string, EndpointSending | { error: string }>();
	const own = (endpoint: SendingTarget & { sealed: SealedSecrets }): EndpointSending | { error: string } => {
		const cacheKey = JSON.stringify([endpoint.id, endpoint.url, endpoint.sealed, endpoint.authentication]);
		let result = opened.get(cacheKey);
		if (!result) {
			result = openOwn(endpoint, setup);
			if (opened.size > 1000) opened.clear();
			opened.set(cacheKey, result);
		}
		return result;
	};
	return (endpoint) => {
		if (endpoint.sealed) return own({ ...endpoint, sealed: endpoint.sealed });
		return nodeLevel(endpoint, setup) ?? noAuthentication;
	};
}

function nodeLevel(endpoint: SendingTarget, setup: SendingSetup): Authenticator | { error: string } | undefined {
	const kind = setup.mode === 'perEndpoint' ? endpoint.authentication : setup.mode;
	if (kind !== 'secretHeader' && kind !== 'oauth2') return undefined;
	const credential = setup.credentials[kind];
	if (!credential) return { error: `The endpoint needs ${kind === 'oauth2' ? 'OAuth2' : 'secret header'} authentication, but the node has none set` };
	if ('error' in credential) return credential;
	try {
		assertHostBound(endpoint.url, credential.allowedHosts, credential.name);
	} catch (error) {
		return { error: (error as Error).message };
	}
	return credential.authenticator;
}

function openOwn(endpoint: SendingTarget & { sealed: SealedSecrets }, setup: SendingSetup): EndpointSending | { error: string } {
	if (!setup.keys) return { error: 'Not sent: the endpoint has its own secrets, but no Webhook Endpoint Secrets Key credential is set on the node' };
	if (endpoint.id === undefined || endpoint.id === null || endpoint.id === '') return { error: 'Not sent: an endpoint with its own secrets must have its row id' };
	let signingSecrets: string[] | undefined;
	let authenticator: Authenticator | { error: string } | undefined;
	try {
		if (endpoint.sealed.signingSecret) signingSecrets = signingSecretsAt(openSigning(endpoint.sealed.signingSecret, setup.keys, endpoint.id), setup.now?.() ?? new Date());
	} catch (error) {
		return { error: `Not sent: the endpoint's signing secret cannot be opened (${(error as Error).message})` };
	}
	if (endpoint.sealed.secrets) {
		try {
			const secrets = openAuth(endpoint.sealed.secrets, setup.keys, endpoint.id, endpoint.url);
			const base = secrets.oauth2 ? oauth2Authentication({ ...secrets.oauth2, authentication: secrets.oauth2.authentication ?? 'header', tokenUrlPolicy: setup.urlPolicy }) : noAuthentication;
			authenticator = headersAuthentication(headersOf(secrets), base);
		} catch (error) {
			return {
				error: `Not sent: the endpoint's own secrets do not open for this URL's host (${(error as Error).message}); enter them again for the new host`,
			};
		}
	} else {
		authenticator = nodeLevel(endpoint, setup);
	}
	if (authenticator && 'error' in authenticator) return authenticator;
	const base = authenticator ?? noAuthentication;
	return signingSecrets ? withSigning(base, signingSecrets) : base;
}

function withSigning(base: Authenticator, signingSecrets: string[]): EndpointSending {
	return {
		headers: () => base.headers(),
		renewAfterUnauthorized: (sent) => base.renewAfterUnauthorized(sent),
		get secretValues() {
			return base.secretValues;
		},
		signingSecrets,
	};
}
