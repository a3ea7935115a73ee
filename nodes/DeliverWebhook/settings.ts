import { NodeOperationError, type IExecuteFunctions, type IDataObject } from 'n8n-workflow';

import { oauth2Authentication, secretHeaderAuthentication } from '../shared/auth/authenticator';
import { decodeSigningSecret } from '../shared/auth/signature';
import { allowedHostsFrom, oauth2ConfigFrom, sealingKeysFrom, secretHeaderConfigFrom, signingSecretsFrom } from '../shared/n8n/credentialData';
import { collectionOf, optionReader } from '../shared/n8n/options';
import type { DeliveryOptions } from '../shared/delivery/delivery';
import { endpointSending, type AuthenticatorFor, type NodeCredential, type SendingSetup } from '../shared/delivery/endpointAuth';
import { parseProxyUrl } from '../shared/delivery/proxy';
import { defaultRetryPolicy } from '../shared/delivery/retryPolicy';
import { parseHostList } from '../shared/security/hostBinding';
import { decodeSealingKey, type SealingKeys } from '../shared/security/sealing';
import type { UrlPolicy } from '../shared/security/urlPolicy';
import { parseDurationList } from '../shared/util/duration';
import { deliverWebhookProperties } from './description';

/** Environment variable with hosts every Deliver Webhook node of this n8n may call although they are private. */
export const ALLOWED_PRIVATE_HOSTS_ENV = 'WEBHOOK_NOTIFICATIONS_ALLOWED_PRIVATE_HOSTS';
/** Environment variable with hosts every Deliver Webhook node of this n8n may call over plain http although https is required. */
export const ALLOWED_HTTP_HOSTS_ENV = 'WEBHOOK_NOTIFICATIONS_ALLOWED_HTTP_HOSTS';

/** Reads the node's options into the core's delivery options; a bad option stops the run before anything is sent. */
export function readDeliveryOptions(ctx: IExecuteFunctions): DeliveryOptions & { includeSkipped: boolean } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const { number } = optionReader(ctx.getNode(), collectionOf(deliverWebhookProperties, 'options'), options);
	let durableScheduleMs = defaultRetryPolicy.durableScheduleMs;
	if (typeof options.durableSchedule === 'string' && options.durableSchedule.trim() !== '') {
		try {
			durableScheduleMs = parseDurationList(options.durableSchedule);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Option "Durable Retry Schedule": ${(error as Error).message}`);
		}
	}
	let finalStatusCodes = defaultRetryPolicy.finalStatusCodes;
	if (typeof options.finalStatusCodes === 'string' || typeof options.finalStatusCodes === 'number') {
		finalStatusCodes = parseStatusCodes(String(options.finalStatusCodes));
		if (!finalStatusCodes.every((code) => code >= 100 && code <= 599 && (code < 200 || code > 299))) {
			throw new NodeOperationError(ctx.getNode(), 'Option "Final Status Codes" must list HTTP status codes from 100 to 599, not 2xx (e.g. "410" or "400, 410")');
		}
	}
	const proxy = typeof options.proxy === 'string' ? options.proxy.trim() : '';
	if (proxy) {
		try {
			parseProxyUrl(proxy);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Option "Proxy": ${(error as Error).message}`);
		}
	}
	// The instance's own list (set by whoever runs n8n) adds to the node's: intranet receivers work in
	// workflows imported as they are.
	const hostList = (text: unknown) => (typeof text === 'string' ? text.split(/[\s,]+/).filter(Boolean) : []);
	const allowedHosts = [...hostList(options.allowedPrivateHosts), ...hostList(process.env[ALLOWED_PRIVATE_HOSTS_ENV])];
	return {
		retryPolicy: {
			...defaultRetryPolicy,
			maxAttempts: Math.floor(number('maxAttempts')),
			timeBudgetMs: number('timeBudget') * 1000,
			retryAfterCapMs: number('retryAfterCap') * 1000,
			retryAfterScheduleCapMs: number('retryAfterScheduleCap') * 3_600_000,
			finalStatusCodes,
			durableScheduleMs,
		},
		timeoutMs: number('timeout'),
		urlPolicy: {
			blockPrivateAddresses: options.blockPrivateAddresses !== false,
			requireHttps: options.requireHttps === true,
			allowedHosts,
			httpAllowedHosts: [...parseHostList(options.allowedHttpHosts), ...parseHostList(process.env[ALLOWED_HTTP_HOSTS_ENV])],
		},
		maxConcurrency: Math.floor(number('maxConcurrency')),
		maxConcurrencyPerEndpoint: Math.floor(number('maxConcurrencyPerEndpoint')),
		responseBodyLimit: Math.floor(number('responseBodyLimit')),
		responseReadLimit: 1024 * 1024,
		proxy: proxy || undefined,
		includeSkipped: options.includeSkipped === true,
	};
}

/** "410, 400" -> [410, 400]; anything that is not a whole number becomes NaN and fails the range check. */
function parseStatusCodes(text: string): number[] {
	return text
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((part) => (/^\d{3}$/.test(part) ? Number(part) : Number.NaN));
}

async function optionalCredentials(ctx: IExecuteFunctions, name: string) {
	try {
		return await ctx.getCredentials(name, 0);
	} catch {
		return undefined;
	}
}

/**
 * Builds the authenticators the node's Authentication setting asks for, once per run, each node-level
 * credential with the hosts it is bound to; and the key that opens the endpoints' own secrets.
 */
export async function readAuthentication(ctx: IExecuteFunctions, urlPolicy: UrlPolicy): Promise<AuthenticatorFor> {
	const mode = ctx.getNodeParameter('authentication', 0) as SendingSetup['mode'];
	const build = async (kind: 'secretHeader' | 'oauth2', required: boolean): Promise<NodeCredential> => {
		const credentialName = kind === 'oauth2' ? 'webhookOAuth2Api' : 'webhookSecretHeaderApi';
		const displayName = kind === 'oauth2' ? 'Webhook OAuth2 API' : 'Webhook Secret Header API';
		const data = await optionalCredentials(ctx, credentialName);
		if (!data) {
			const message = `The endpoint needs ${kind === 'oauth2' ? 'OAuth2' : 'secret header'} authentication, but no ${displayName} credential is set on the node`;
			if (required) throw new NodeOperationError(ctx.getNode(), message);
			return { error: message };
		}
		try {
			const authenticator =
				kind === 'oauth2' ? oauth2Authentication({ ...oauth2ConfigFrom(data), tokenUrlPolicy: urlPolicy }) : secretHeaderAuthentication(secretHeaderConfigFrom(data));
			return { authenticator, allowedHosts: allowedHostsFrom(data), name: displayName };
		} catch (error) {
			// Validation messages name the problem (a bad header name), never a secret value.
			if (required) throw new NodeOperationError(ctx.getNode(), (error as Error).message);
			return { error: (error as Error).message };
		}
	};
	const credentials: SendingSetup['credentials'] = {};
	if (mode === 'secretHeader' || mode === 'oauth2') credentials[mode] = await build(mode, true);
	if (mode === 'perEndpoint') {
		credentials.secretHeader = await build('secretHeader', false);
		credentials.oauth2 = await build('oauth2', false);
	}
	return endpointSending({ mode, credentials, keys: await readSealingKeys(ctx), urlPolicy });
}

/** The Webhook Endpoint Secrets Key credential's keys, when the node has one. */
export async function readSealingKeys(ctx: IExecuteFunctions): Promise<SealingKeys | undefined> {
	const data = await optionalCredentials(ctx, 'webhookEndpointSecretsKeyApi');
	if (!data) return undefined;
	const keys = sealingKeysFrom(data);
	try {
		decodeSealingKey(keys.current);
		if (keys.previous.trim()) decodeSealingKey(keys.previous);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Webhook Endpoint Secrets Key credential: ${(error as Error).message}`);
	}
	return keys;
}

export async function readSigningSecrets(ctx: IExecuteFunctions): Promise<string[]> {
	if (!(ctx.getNodeParameter('signPayload', 0, true) as boolean)) return [];
	const data = await optionalCredentials(ctx, 'webhookSigningSecretApi');
	const secrets = data ? signingSecretsFrom(data) : [];
	if (secrets.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Sign Webhooks is on, but no Webhook Signing Secret API credential with a secret is set', {
			description: 'Add the credential, or turn Sign Webhooks off',
		});
	}
	try {
		secrets.forEach((secret) => decodeSigningSecret(secret));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Webhook Signing Secret API credential: ${(error as Error).message}`);
	}
	return secrets;
}
