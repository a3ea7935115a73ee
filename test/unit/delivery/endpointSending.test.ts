import { headersAuthentication } from '../../../nodes/shared/auth/authenticator';
import { parseAuthSecrets, rotateSigning, sealAuth, sealSigning, secretsHint, signingSecretsAt } from '../../../nodes/shared/auth/endpointSecrets';
import { endpointSending, type SendingSetup } from '../../../nodes/shared/delivery/endpointAuth';
import { newSealingKey } from '../../../nodes/shared/security/sealing';
import { defaultUrlPolicy } from '../../../nodes/shared/security/urlPolicy';

describe('how an endpoint is authenticated and signed', () => {
	const keys = { current: newSealingKey() };
	const nodeHeader = { authenticator: headersAuthentication({ 'x-node-secret': 'node-secret-value' }), allowedHosts: ['partner.example'], name: 'Webhook Secret Header API' };
	const setup = (extra: Partial<SendingSetup> = {}): SendingSetup => ({ mode: 'perEndpoint', credentials: { secretHeader: nodeHeader }, keys, urlPolicy: defaultUrlPolicy, ...extra });
	const url = 'https://partner.example/hooks';

	test("an endpoint's own header and signing secret are used; the node's credential is not", async () => {
		const own = parseAuthSecrets({ secretHeader: { name: 'x-partner-a', value: 'a-secret-value-1234' }, headers: [{ name: 'x-tenant', value: 'tenant-a' }] });
		const signing = rotateSigning(undefined, 24);
		const sending = endpointSending(setup())({ id: 7, url, authentication: 'secretHeader', sealed: { secrets: sealAuth(own, keys, 7, url), signingSecret: sealSigning(signing, keys, 7) } });
		if ('error' in sending) throw new Error(sending.error);
		expect(await sending.headers()).toEqual({ 'x-partner-a': 'a-secret-value-1234', 'x-tenant': 'tenant-a' });
		expect(sending.signingSecrets).toEqual([signing.current]);
		expect(sending.secretValues).toContain('a-secret-value-1234');
	});

	test('secrets of another row, or kept after the URL moved to another host, are not used', () => {
		const own = parseAuthSecrets({ secretHeader: { name: 'x-partner-a', value: 'a-secret-value-1234' } });
		const sealed = { secrets: sealAuth(own, keys, 7, url) };
		const forAll = endpointSending(setup());
		expect(forAll({ id: 8, url, sealed })).toEqual({ error: expect.stringMatching(/^Not sent: the endpoint's own secrets do not open for this URL's host/) });
		expect(forAll({ id: 7, url: 'https://attacker.example/collect', sealed })).toEqual({ error: expect.stringMatching(/enter them again for the new host/) });
		// The port is not part of the host: the same host on another port still opens.
		expect('error' in forAll({ id: 7, url: 'https://partner.example:8443/v2', sealed })).toBe(false);
		expect(endpointSending(setup({ keys: undefined }))({ id: 7, url, sealed })).toEqual({ error: expect.stringMatching(/no Webhook Endpoint Secrets Key credential/) });
	});

	test("the node's credential goes only to the hosts it is bound to", async () => {
		const forAll = endpointSending(setup());
		const bound = forAll({ id: 1, url, authentication: 'secretHeader' });
		if ('error' in bound) throw new Error(bound.error);
		expect(await bound.headers()).toEqual({ 'x-node-secret': 'node-secret-value' });
		expect(forAll({ id: 1, url: 'https://elsewhere.example/', authentication: 'secretHeader' })).toEqual({
			error: 'Not sent: elsewhere.example is not among the Allowed Hosts of the Webhook Secret Header API credential',
		});
		expect(forAll({ id: 1, url, authentication: 'oauth2' })).toEqual({ error: expect.stringMatching(/needs OAuth2 authentication/) });
		const none = forAll({ id: 1, url: 'https://elsewhere.example/', authentication: 'none' });
		expect('error' in none ? none : await none.headers()).toEqual({});
	});

	test('a rotated signing secret: both sign during the overlap, then only the new one', () => {
		const first = rotateSigning(undefined, 24);
		const now = new Date('2026-12-01T00:00:00Z');
		const second = rotateSigning(first, 24, now);
		expect(signingSecretsAt(second, new Date('2026-12-01T23:00:00Z'))).toEqual([second.current, first.current]);
		expect(signingSecretsAt(second, new Date('2026-12-02T00:00:01Z'))).toEqual([second.current]);
	});

	test('entered secrets are checked the way they are sent; errors name the field, never the value', () => {
		expect(() => parseAuthSecrets({ secretHeader: { name: 'authorization', value: 'hunter2-hunter2' } })).toThrow(/reserved header "authorization"/);
		expect(() => parseAuthSecrets({ headers: [{ name: 'x-a', value: 'line\r\nbreak-secret' }] })).toThrow(/line break/);
		expect(() => parseAuthSecrets({ oauth2: { tokenUrl: 'nope', clientId: 'a', clientSecret: 'b' } })).toThrow('oauth2.tokenUrl is not a valid URL');
		expect(() => parseAuthSecrets({ oauth2: { tokenUrl: 'https://a.example/t', clientId: 'a' } })).toThrow('oauth2.clientSecret must be text');
		expect(() => parseAuthSecrets([])).toThrow('secrets must be an object');
		for (const bad of [{ headers: 'x' }, { secretHeader: { name: 5, value: 'v' } }]) {
			try {
				parseAuthSecrets(bad);
			} catch (error) {
				expect((error as Error).message).not.toMatch(/hunter2|secret-value/);
			}
		}
	});

	test('the hint shows names and the last 4 characters of long secrets only', () => {
		const secrets = parseAuthSecrets({
			secretHeader: { name: 'x-partner', value: 'abcdefghijklmnop-WXYZ' },
			oauth2: { tokenUrl: 'https://auth.partner.example/token', clientId: 'client-a', clientSecret: 'short' },
		});
		const hint = secretsHint({ current: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQUJDRA==' }, secrets);
		expect(hint).toEqual({
			signingSecret: '…RA==',
			secretHeader: { name: 'x-partner', value: '…WXYZ' },
			oauth2: { tokenUrl: 'https://auth.partner.example/token', clientId: 'client-a', scope: '', clientSecret: '…' },
		});
	});
});
