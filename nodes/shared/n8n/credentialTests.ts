import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { TokenProvider } from '../auth/oauth2';
import { secretHeaders } from '../auth/secretHeader';
import { decodeSigningSecret } from '../auth/signature';
import { decodeSealingKey } from '../security/sealing';
import { allowedHostsFrom, oauth2ConfigFrom, sealingKeysFrom, secretHeaderConfigFrom, signingSecretsFrom } from './credentialData';

/** Credential tests shared by every node that uses the package's credentials. */
export const credentialTest = {
	async webhookOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			// A provider of its own: a test must really ask the token endpoint, not read a cache. The token URL
			// passes the address policy first (public https, or a host the credential lists), so the test
			// cannot probe private hosts and ports: a refused host gets the policy's message, not a connection.
			const data = credential.data ?? {};
			const listed = allowedHostsFrom(data);
			await new TokenProvider().getToken({
				...oauth2ConfigFrom(data),
				tokenUrlPolicy: { blockPrivateAddresses: true, requireHttps: true, allowedHosts: listed, httpAllowedHosts: listed },
			});
			return { status: 'OK', message: 'The token endpoint issued an access token' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	},
	async webhookSecretHeaderApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			secretHeaders(secretHeaderConfigFrom(credential.data ?? {}));
			return { status: 'OK', message: 'The headers are valid' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	},
	async webhookEndpointSecretsKeyApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			const keys = sealingKeysFrom(credential.data ?? {});
			decodeSealingKey(keys.current);
			if (keys.previous.trim()) decodeSealingKey(keys.previous);
			return { status: 'OK', message: 'The key is valid' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	},
	async webhookSigningSecretApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			for (const secret of signingSecretsFrom(credential.data ?? {})) decodeSigningSecret(secret);
			return { status: 'OK', message: 'The signing secret is valid' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	},
};
