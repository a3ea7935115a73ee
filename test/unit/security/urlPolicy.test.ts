import { refusedUrls } from '../../helpers/refusedUrls';
import type { lookup } from 'node:dns';

import { checkUrl, guardedLookup, isNonPublicAddress, UrlPolicyError, type UrlPolicy } from '../../../nodes/shared/security/urlPolicy';

/** The address guard's static part (no DNS, no socket): which literal targets are refused. */
const policy: UrlPolicy = { blockPrivateAddresses: true, requireHttps: false, allowedHosts: ['::1'] };
const refused = (url: string) => {
	try {
		checkUrl(url, policy);
		return false;
	} catch (error) {
		return error instanceof UrlPolicyError;
	}
};

describe('URL forms refused before connecting', () => {
	// The forms the security e2e suite sends through a real n8n (localhost is refused after DNS; its answers are below).
	const today = refusedUrls('8080').filter((url) => !url.includes('localhost'));
	const added = [
		'http://[::127.0.0.1]/ipv4-compatible',
		'http://[::7f00:1]/ipv4-compatible-hex',
		'http://[::ffff:0:7f00:1]/ipv4-translated',
		'http://[::ffff:0:127.0.0.1]/ipv4-translated-dotted',
		'http://[::ffff:7f00:1]/ipv4-mapped-hex',
		'http://[::ffff:a9fe:a9fe]/mapped-metadata',
		'http://[::8.8.8.8]/ipv4-compatible-public',
		'http://[::]/unspecified',
		'http://[0:0:0:0:0:0:0:2]/compatible-long',
		'http://[64:ff9b::7f00:1]/nat64-loopback',
		'http://[64:ff9b::10.0.0.1]/nat64-private',
		'http://[64:ff9b:1::1]/nat64-local-use',
		'http://[2002:7f00:1::1]/6to4-loopback',
		'http://[2002:a9fe:a9fe::]/6to4-metadata',
		'http://[2002:c0a8:101::1]/6to4-private',
		'http://[2001::1]/teredo',
		'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/teredo-long',
		'http://[2001:db8::1]/documentation',
		'http://[3fff::1]/documentation-new',
		'http://[2001:2::1]/benchmarking',
		'http://[100::1]/discard',
		'http://[fc00::1]/unique-local-fc',
		'http://[fec0::1]/site-local',
		'http://[ff02::1]/multicast',
		'http://[4000::1]/outside-global-unicast',
		'http://[::ffff:0:0:1]/translated-zero',
	];
	test.each([...today, ...added])('%s', (url) => {
		expect(refused(url)).toBe(true);
	});

	test('what localhost resolves to is refused', () => {
		expect(isNonPublicAddress('127.0.0.1')).toBe(true);
		expect(isNonPublicAddress('::1')).toBe(true);
		expect(isNonPublicAddress('0:0:0:0:0:0:0:1')).toBe(true);
	});
});

describe('public and allowed targets pass', () => {
	test.each([
		'https://partner.example/hooks',
		'http://8.8.8.8/public-v4',
		'http://[2606:4700:4700::1111]/public-v6',
		'http://[2a00:1450:4001:81b::200e]/public-v6-b',
		'http://[::ffff:8.8.8.8]/mapped-public',
		'http://[::ffff:808:808]/mapped-public-hex',
		'http://[64:ff9b::808:808]/nat64-public',
		'http://[2002:808:808::1]/6to4-public',
		'http://[::1]:8080/allowed-loopback',
	])('%s', (url) => {
		expect(refused(url)).toBe(false);
	});

	test('an allowed IPv4 address allows its mapped form, not the IPv4-compatible one', () => {
		const v4allowed: UrlPolicy = { ...policy, allowedHosts: ['127.0.0.1'] };
		expect(() => checkUrl('http://[::ffff:127.0.0.1]/', v4allowed)).not.toThrow();
		expect(() => checkUrl('http://[::127.0.0.1]/', v4allowed)).toThrow(UrlPolicyError);
		expect(() => checkUrl('http://[::1]/', v4allowed)).toThrow(UrlPolicyError);
	});

	test('with Block Private Addresses off nothing is refused for its address', () => {
		expect(() => checkUrl('http://[::127.0.0.1]/', { ...policy, blockPrivateAddresses: false })).not.toThrow();
	});

	test('a zone id does not hide a link-local address; garbage is refused', () => {
		expect(isNonPublicAddress('fe80::1%eth0')).toBe(true);
		expect(isNonPublicAddress('not-an-ip')).toBe(true);
		expect(isNonPublicAddress('[2606:4700:4700::1111]')).toBe(false);
	});
});

describe('names are judged by every address they resolve to (the connection-time check)', () => {
	/** A resolver with fixed answers, so this runs without DNS or sockets. */
	const answers: Record<string, string[]> = {
		localhost: ['127.0.0.1', '::1'],
		'partner.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
		'rebinding.example': ['93.184.215.14', '169.254.169.254'],
		'intranet.example': ['10.1.2.3'],
	};
	const resolver = ((hostname: string, _options: unknown, callback: (err: Error | null, addresses: Array<{ address: string; family: number }>) => void) => {
		const found = answers[hostname];
		if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
		callback(null, found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
	}) as unknown as typeof lookup;
	const resolve = (hostname: string, lookupPolicy: UrlPolicy = policy) =>
		new Promise<string | Error>((done) =>
			guardedLookup(lookupPolicy, resolver)(hostname, {}, (err, address) => done(err ?? (address as string))),
		);

	test('localhost, the form the security suite sends by name, is refused', async () => {
		const result = await resolve('localhost', { ...policy, allowedHosts: [] });
		expect(result).toBeInstanceOf(UrlPolicyError);
		expect((result as Error).message).toMatch(/localhost \(127\.0\.0\.1\)/);
	});

	test('one private answer among public ones is enough to refuse (DNS rebinding)', async () => {
		expect(await resolve('rebinding.example')).toBeInstanceOf(UrlPolicyError);
	});

	test('a public name passes; an allowed name or range lets a private answer through', async () => {
		expect(await resolve('partner.example')).toBe('93.184.215.14');
		expect(await resolve('intranet.example', { ...policy, allowedHosts: ['intranet.example'] })).toBe('10.1.2.3');
		expect(await resolve('intranet.example', { ...policy, allowedHosts: ['10.0.0.0/8'] })).toBe('10.1.2.3');
		expect(await resolve('intranet.example')).toBeInstanceOf(UrlPolicyError);
	});

	test('a resolver error is passed on as it is', async () => {
		expect(String(await resolve('nowhere.example'))).toMatch(/ENOTFOUND/);
	});
});
