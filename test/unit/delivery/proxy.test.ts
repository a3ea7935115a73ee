import { bypassesProxy, parseProxyUrl, proxyAuthorization, proxyFor } from '../../../nodes/shared/delivery/proxy';

describe('which proxy a delivery goes through', () => {
	const saved = { ...process.env };
	const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
	beforeEach(() => names.forEach((name) => delete process.env[name]));
	afterAll(() => {
		names.forEach((name) => delete process.env[name]);
		Object.assign(process.env, saved);
	});

	test('none without the environment or the option', () => {
		expect(proxyFor(new URL('https://partner.example/hook'))).toBeUndefined();
	});

	test('HTTPS_PROXY for https targets, HTTP_PROXY for http ones; lowercase first', () => {
		process.env.HTTPS_PROXY = 'http://secure-proxy:3128';
		process.env.HTTP_PROXY = 'http://plain-proxy:8080';
		expect(proxyFor(new URL('https://partner.example/hook'))?.label).toBe('secure-proxy:3128');
		expect(proxyFor(new URL('http://partner.example/hook'))?.label).toBe('plain-proxy:8080');
		process.env.https_proxy = 'lower-proxy:3129';
		expect(proxyFor(new URL('https://partner.example/hook'))?.label).toBe('lower-proxy:3129');
	});

	test("the node's option wins over the environment; NO_PROXY applies to both", () => {
		process.env.HTTPS_PROXY = 'http://env-proxy:3128';
		process.env.NO_PROXY = 'internal.example';
		expect(proxyFor(new URL('https://partner.example/'), 'http://node-proxy:9000')?.label).toBe('node-proxy:9000');
		expect(proxyFor(new URL('https://hooks.internal.example/'), 'http://node-proxy:9000')).toBeUndefined();
	});

	test.each([
		['*', 'https://anything.example/', true],
		['example.com', 'https://example.com/', true],
		['example.com', 'https://api.example.com/', true],
		['.example.com', 'https://api.example.com/', true],
		['*.example.com', 'https://api.example.com/', true],
		['example.com', 'https://notexample.com/', false],
		['example.com:8443', 'https://example.com:8443/', true],
		['example.com:8443', 'https://example.com/', false],
		['10.1.2.3, other', 'http://10.1.2.3/', true],
		['[::1]', 'http://[::1]:8080/', true],
		['', 'https://example.com/', false],
	])('NO_PROXY "%s" for %s: direct = %s', (noProxy, url, direct) => {
		expect(bypassesProxy(new URL(url), noProxy)).toBe(direct);
	});

	test('only http:// proxies; a bad proxy URL is refused without repeating it (it may hold a password)', () => {
		expect(() => parseProxyUrl('https://user:s3cret@proxy:443')).toThrow(/not supported/);
		expect(() => parseProxyUrl('https://user:s3cret@proxy:443')).not.toThrow(/s3cret/);
		expect(() => parseProxyUrl('http://')).toThrow(/not a valid URL/);
		expect(parseProxyUrl('proxy.corp:3128').url.protocol).toBe('http:');
	});

	test('user:password in the proxy URL becomes Proxy-Authorization; the label never shows it', () => {
		const choice = parseProxyUrl('http://me%40corp:p%3Ass@proxy.corp:3128');
		expect(choice.label).toBe('proxy.corp:3128');
		expect(proxyAuthorization(choice.url)).toBe(`Basic ${Buffer.from('me@corp:p:ss').toString('base64')}`);
		expect(proxyAuthorization(parseProxyUrl('http://proxy.corp:3128').url)).toBeUndefined();
	});
});
