import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { OAuth2ClientConfig } from '../auth/oauth2';
import { parseHostList } from '../security/hostBinding';
import { DEFAULT_SECRET_HEADER_NAME, type SecretHeaderConfig } from '../auth/secretHeader';

/** Credential data as n8n hands it over, turned into the core's types. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function oauth2ConfigFrom(data: ICredentialDataDecryptedObject): OAuth2ClientConfig {
	return {
		tokenUrl: text(data.tokenUrl).trim(),
		clientId: text(data.clientId),
		clientSecret: text(data.clientSecret),
		scope: text(data.scope),
		authentication: data.authentication === 'body' ? 'body' : 'header',
	};
}

export function secretHeaderConfigFrom(data: ICredentialDataDecryptedObject): SecretHeaderConfig {
	const collection = data.additionalHeaders as { header?: Array<{ name?: unknown; value?: unknown }> } | undefined;
	return {
		headerName: text(data.headerName).trim() || DEFAULT_SECRET_HEADER_NAME,
		secret: text(data.secret),
		additionalHeaders: (collection?.header ?? []).map((header) => ({ name: text(header.name), value: text(header.value) })),
	};
}

/** The hosts a node-level credential may be sent to (its Allowed Hosts field); empty: nowhere. */
export function allowedHostsFrom(data: ICredentialDataDecryptedObject): string[] {
	return parseHostList(data.allowedHosts);
}

/** The Webhook Endpoint Secrets Key credential's keys: the current one seals, both open. */
export function sealingKeysFrom(data: ICredentialDataDecryptedObject): { current: string; previous: string } {
	return { current: text(data.secretKey), previous: text(data.previousSecretKey) };
}

/** The current secret first, then the one being rotated out, if any. */
export function signingSecretsFrom(data: ICredentialDataDecryptedObject): string[] {
	return [text(data.secret).trim(), text(data.previousSecret).trim()].filter(Boolean);
}
