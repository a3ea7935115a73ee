import { NodeOperationError, type IExecuteFunctions, type IDataObject } from 'n8n-workflow';

import { noAuthentication, oauth2Authentication, secretHeaderAuthentication, type Authenticator } from '../shared/auth/authenticator';
import { decodeSigningSecret } from '../shared/auth/signature';
import { oauth2ConfigFrom, secretHeaderConfigFrom, signingSecretsFrom } from '../shared/credentialData';
import type { DeliveryOptions } from '../shared/delivery/delivery';
import type { AuthenticatorFor } from '../shared/delivery/plan';
import { parseProxyUrl } from '../shared/delivery/proxy';
import { defaultRetryPolicy } from '../shared/delivery/retryPolicy';
import { parseDurationList } from '../shared/util/duration';

/** Environment variable with hosts every Deliver Webhook node of this n8n may call although they are private. */
export const ALLOWED_PRIVATE_HOSTS_ENV = 'WEBHOOK_NOTIFICATIONS_ALLOWED_PRIVATE_HOSTS';

/** Reads the node's options into the core's delivery options; a bad option stops the run before anything is sent. */
export function readDeliveryOptions(ctx: IExecuteFunctions): DeliveryOptions & { includeSkipped: boolean } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (name: string, fallback: number, min: number, max: number): number => {
		const value = options[name] === undefined || options[name] === '' ? fallback : Number(options[name]);
		if (!Number.isFinite(value) || value < min || value > max) {
			throw new NodeOperationError(ctx.getNode(), `Option "${name}" must be a number from ${min} to ${max}`);
		}
		return value;
	};
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
			maxAttempts: Math.floor(number('maxAttempts', defaultRetryPolicy.maxAttempts, 1, 10)),
			timeBudgetMs: number('timeBudget', defaultRetryPolicy.timeBudgetMs / 1000, 1, 3600) * 1000,
			retryAfterCapMs: number('retryAfterCap', defaultRetryPolicy.retryAfterCapMs / 1000, 0, 600) * 1000,
			retryAfterScheduleCapMs: number('retryAfterScheduleCap', defaultRetryPolicy.retryAfterScheduleCapMs / 3_600_000, 0, 720) * 3_600_000,
			finalStatusCodes,
			durableScheduleMs,
		},
		timeoutMs: number('timeout', 15_000, 100, 300_000),
		urlPolicy: {
			blockPrivateAddresses: options.blockPrivateAddresses !== false,
			requireHttps: options.requireHttps === true,
			allowedHosts,
		},
		maxConcurrency: Math.floor(number('maxConcurrency', 50, 1, 500)),
		maxConcurrencyPerEndpoint: Math.floor(number('maxConcurrencyPerEndpoint', 10, 1, 100)),
		responseBodyLimit: Math.floor(number('responseBodyLimit', 256, 0, 65_536)),
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

/** Builds the authenticators the node's Authentication setting asks for, once per run. */
export async function readAuthentication(ctx: IExecuteFunctions): Promise<AuthenticatorFor> {
	const mode = ctx.getNodeParameter('authentication', 0) as string;
	const build = async (kind: 'secretHeader' | 'oauth2', required: boolean): Promise<Authenticator | { error: string }> => {
		const credentialName = kind === 'oauth2' ? 'webhookOAuth2Api' : 'webhookSecretHeaderApi';
		const data = await optionalCredentials(ctx, credentialName);
		if (!data) {
			const message = `The endpoint needs ${kind === 'oauth2' ? 'OAuth2' : 'secret header'} authentication, but no ${credentialName === 'webhookOAuth2Api' ? 'Webhook OAuth2 API' : 'Webhook Secret Header API'} credential is set on the node`;
			if (required) throw new NodeOperationError(ctx.getNode(), message);
			return { error: message };
		}
		try {
			return kind === 'oauth2' ? oauth2Authentication(oauth2ConfigFrom(data)) : secretHeaderAuthentication(secretHeaderConfigFrom(data));
		} catch (error) {
			// Validation messages name the problem (a bad header name), never a secret value.
			if (required) throw new NodeOperationError(ctx.getNode(), (error as Error).message);
			return { error: (error as Error).message };
		}
	};
	if (mode === 'secretHeader' || mode === 'oauth2') {
		const authenticator = await build(mode, true);
		return () => authenticator;
	}
	if (mode === 'perEndpoint') {
		const byKind = {
			none: noAuthentication,
			secretHeader: await build('secretHeader', false),
			oauth2: await build('oauth2', false),
		};
		return (endpoint) => byKind[endpoint.authentication ?? 'none'];
	}
	return () => noAuthentication;
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
