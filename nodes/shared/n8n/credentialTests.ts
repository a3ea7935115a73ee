import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { TokenProvider } from '../auth/oauth2';
import { secretHeaders } from '../auth/secretHeader';
import { decodeSigningSecret } from '../auth/signature';
import { oauth2ConfigFrom, secretHeaderConfigFrom, signingSecretsFrom } from './credentialData';

/** Credential tests shared by every node that uses the package's credentials. */
export const credentialTest = {
	async webhookOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			// A provider of its own: a test must really ask the token endpoint, not read a cache.
			await new TokenProvider().getToken(oauth2ConfigFrom(credential.data ?? {}));
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
	async webhookSigningSecretApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			for (const secret of signingSecretsFrom(credential.data ?? {})) decodeSigningSecret(secret);
			return { status: 'OK', message: 'The signing secret is valid' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	},
};
