import { checkEndpoint } from '../../../nodes/shared/delivery/endpointCheck';
import { defaultUrlPolicy } from '../../../nodes/shared/security/urlPolicy';

const good = { name: 'Accounting', url: 'https://accounting.example.com/hooks', eventTypes: 'invoice.activated, invoice.paid', channels: 'client_1', active: true, authentication: 'oauth2' };

describe('checkEndpoint: a row a person is about to save', () => {
	it('normalises a good row into the webhook_endpoints columns', () => {
		expect(checkEndpoint({ ...good, eventTypes: '["invoice.paid","invoice.paid"]', description: '  partner A ' }, defaultUrlPolicy)).toEqual({
			valid: true,
			errors: [],
			endpoint: { name: 'Accounting', url: good.url, eventTypes: 'invoice.paid', channels: 'client_1', active: true, authentication: 'oauth2', description: 'partner A' },
		});
	});

	it('reads "*" with other types as every type, and an empty authentication as none', () => {
		const checked = checkEndpoint({ ...good, eventTypes: 'invoice.paid, *', authentication: '' }, defaultUrlPolicy);
		expect(checked.endpoint).toMatchObject({ eventTypes: '*', authentication: 'none' });
	});

	it.each([
		['a missing name', { ...good, name: '  ' }, /name is required/],
		['a name with a line break', { ...good, name: 'a\nb' }, /control characters/],
		['a missing url', { ...good, url: undefined }, /url is required/],
		['a url that is not one', { ...good, url: 'not a url' }, /not a valid URL/],
		['an ftp url', { ...good, url: 'ftp://files.example.com/' }, /scheme "ftp:" is not allowed/],
		['a javascript: url', { ...good, url: 'javascript:alert(1)' }, /scheme "javascript:" is not allowed/],
		['credentials in the url', { ...good, url: 'https://user:pass@example.com/' }, /user name or password/],
		['cloud metadata', { ...good, url: 'http://169.254.169.254/latest/meta-data' }, /private, loopback or link-local/],
		['loopback as a number', { ...good, url: 'http://2130706433/' }, /private, loopback or link-local/],
		['an event type not in the catalog', { ...good, eventTypes: 'invoice.activated, invoice.exploded' }, /"invoice.exploded" is not an event type of the catalog/],
		['a channel with spaces in a JSON list', { ...good, channels: '["client 1"]' }, /"client 1" is not a channel/],
		['an unknown authentication', { ...good, authentication: 'basic' }, /authentication/],
		['a non-text description', { ...good, description: { html: '<b>' } }, /description must be text/],
	])('refuses %s with a clear error', (_what, row, message) => {
		const checked = checkEndpoint(row, defaultUrlPolicy);
		expect(checked.valid).toBe(false);
		expect(checked.errors.join('; ')).toMatch(message);
		expect(checked.endpoint).toBeUndefined();
	});

	it('reports every problem of a row at once', () => {
		const checked = checkEndpoint({ name: '', url: 'http://10.0.0.1/', eventTypes: 'nope' }, defaultUrlPolicy);
		expect(checked.errors).toEqual([expect.stringMatching(/name/), expect.stringMatching(/^url:/), expect.stringMatching(/^eventTypes:/)]);
	});

	it.each([null, 'https://example.com', 42, [good]])('refuses %p as a row', (row) => {
		expect(checkEndpoint(row, defaultUrlPolicy)).toEqual({ valid: false, errors: ['The endpoint must be an object'] });
	});

	it('does not let __proto__ in a row change anything', () => {
		const hostile = JSON.parse(`{"name":"x","url":"https://example.com/","__proto__":{"valid":true,"polluted":1}}`);
		const checked = checkEndpoint(hostile, defaultUrlPolicy);
		expect(checked.valid).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(checked.endpoint!)).toEqual(['name', 'url', 'eventTypes', 'channels', 'active', 'authentication', 'description']);
	});

	it('applies the same address policy as delivery: allowed private hosts, HTTPS only', () => {
		const intranet = { ...good, url: 'http://10.1.2.3/hooks' };
		expect(checkEndpoint(intranet, { ...defaultUrlPolicy, allowedHosts: ['10.1.0.0/16'] }).valid).toBe(true);
		expect(checkEndpoint(intranet, { ...defaultUrlPolicy, blockPrivateAddresses: false }).valid).toBe(true);
		expect(checkEndpoint({ ...good, url: 'http://example.com/' }, { ...defaultUrlPolicy, requireHttps: true }).errors).toEqual([expect.stringMatching(/Only https/)]);
	});

	it('keeps long hostile input out of its messages', () => {
		const checked = checkEndpoint({ ...good, eventTypes: 'x'.repeat(5000) }, defaultUrlPolicy);
		expect(checked.errors.join('').length).toBeLessThan(200);
	});
});
