import { credentialTest } from '../../../nodes/shared/n8n/credentialTests';
import { TokenProvider } from '../../../nodes/shared/auth/oauth2';
import { defaultUrlPolicy } from '../../../nodes/shared/security/urlPolicy';

/** The token URL passes the endpoints' address policy; the credential test cannot be used to probe hosts and ports. */
describe('OAuth2 token URL policy', () => {
	const test_ = (tokenUrl: string, allowedHosts = '') =>
		credentialTest.webhookOAuth2ApiTest.call({} as never, { id: '1', name: 'c', type: 'webhookOAuth2Api', data: { tokenUrl, clientId: 'a', clientSecret: 'b', allowedHosts } } as never);

	test.each([
		['http://auth.partner.example/token', /must be https|Only https URLs are allowed/],
		['https://127.0.0.1:22/token', /Refused to connect to 127\.0\.0\.1/],
		['https://10.0.0.5:6379/token', /Refused to connect to 10\.0\.0\.5/],
		['https://169.254.169.254/latest/meta-data', /Refused to connect to 169\.254\.169\.254/],
		['https://[::1]:5432/token', /Refused to connect to/],
		['https://localhost:3306/token', /Refused to connect to localhost \(127\.0\.0\.1\)/],
		['https://user:pw@auth.partner.example/token', /user name or password/],
	])('the credential test refuses %s with the policy message, without connecting', async (tokenUrl, message) => {
		const result = await test_(tokenUrl);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The OAuth2 access token URL is refused: /);
		expect(result.message).toMatch(message);
	});

	test('every refusal reads the same whether a port is open or closed', async () => {
		const messages = new Set((await Promise.all(['https://127.0.0.1:1/t', 'https://127.0.0.1:22/t', 'https://127.0.0.1:65000/t'].map((url) => test_(url)))).map((r) => r.message));
		expect(messages.size).toBe(1);
	});

	test('a delivery node checks the token URL with its own policy: https unless the host may use http', async () => {
		const tokens = new TokenProvider();
		const config = { tokenUrl: 'http://auth.partner.example/token', clientId: 'a', clientSecret: 'b', authentication: 'header' as const };
		await expect(tokens.getToken({ ...config, tokenUrlPolicy: defaultUrlPolicy })).rejects.toThrow(/^The OAuth2 access token URL is refused: Only https/);
		await expect(tokens.getToken({ ...config, tokenUrl: 'https://10.1.2.3/token', tokenUrlPolicy: defaultUrlPolicy })).rejects.toThrow(/Refused to connect to 10\.1\.2\.3/);
	});
});
