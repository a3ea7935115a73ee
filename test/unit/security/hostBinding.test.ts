import { assertHostBound, hostAllowed, parseHostList } from '../../../nodes/shared/security/hostBinding';

describe('host binding of node-level credentials', () => {
	test('exact host names and addresses, case-insensitive, whatever the port', () => {
		const allowed = parseHostList(' API.Partner.example, 127.0.0.1 [::1]\n');
		expect(allowed).toEqual(['api.partner.example', '127.0.0.1', '::1']);
		expect(hostAllowed('api.partner.example', allowed)).toBe(true);
		expect(hostAllowed('API.PARTNER.EXAMPLE.', allowed)).toBe(true);
		expect(hostAllowed('[::1]', allowed)).toBe(true);
		expect(() => assertHostBound('https://api.partner.example:8443/hooks', allowed, 'Webhook OAuth2 API')).not.toThrow();
		expect(() => assertHostBound('http://[::1]:3000/x', allowed, 'Webhook OAuth2 API')).not.toThrow();
	});

	test('another host, a look-alike or a subdomain is refused', () => {
		const allowed = parseHostList('api.partner.example');
		for (const url of [
			'https://attacker.example/collect',
			'https://api.partner.example.attacker.example/',
			'https://evil-api.partner.example/',
			'https://sub.api.partner.example/',
			'https://partner.example/',
			'https://api.partner.example@attacker.example/',
		]) {
			expect(() => assertHostBound(url, allowed, 'Webhook OAuth2 API')).toThrow(/Not sent: .* is not among the Allowed Hosts of the Webhook OAuth2 API credential/);
		}
	});

	test('*.example.com allows its subdomains, not the domain itself nor look-alikes', () => {
		const allowed = parseHostList('*.partner.example');
		expect(hostAllowed('a.partner.example', allowed)).toBe(true);
		expect(hostAllowed('a.b.partner.example', allowed)).toBe(true);
		expect(hostAllowed('partner.example', allowed)).toBe(false);
		expect(hostAllowed('evilpartner.example', allowed)).toBe(false);
		expect(hostAllowed('.partner.example', allowed)).toBe(false);
	});

	test('an empty list sends the credential nowhere, and says how to allow a host', () => {
		expect(() => assertHostBound('https://api.partner.example/', parseHostList(''), 'Webhook Secret Header API')).toThrow(
			'Not sent: the Webhook Secret Header API credential has no Allowed Hosts, so it is sent nowhere. Add "api.partner.example" to its Allowed Hosts if it belongs to this receiver',
		);
		expect(parseHostList(undefined)).toEqual([]);
		expect(() => assertHostBound('not a url', ['x'], 'c')).toThrow(/is not a valid URL/);
	});
});
