import { newSealingKey, openSealed, seal, SealError, SEALED_PREFIX, decodeSealingKey } from '../../../nodes/shared/security/sealing';

describe('sealing (AES-256-GCM under the endpoint secrets key)', () => {
	const key = newSealingKey();
	const keys = { current: key };
	const secret = 'partner-token-0123456789abcdef';

	test('a sealed value opens for its context, and holds no trace of the secret', () => {
		const sealed = seal(secret, keys, 'endpoint:7:auth:api.partner.example');
		expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
		expect(sealed).not.toContain(secret);
		expect(sealed).not.toContain(Buffer.from(secret).toString('base64'));
		expect(openSealed(sealed, keys, 'endpoint:7:auth:api.partner.example')).toBe(secret);
		// A fresh IV each time: sealing the same secret twice gives two different values.
		expect(seal(secret, keys, 'ctx')).not.toBe(seal(secret, keys, 'ctx'));
	});

	test('a wrong key does not open it', () => {
		const sealed = seal(secret, keys, 'ctx');
		expect(() => openSealed(sealed, { current: newSealingKey() }, 'ctx')).toThrow(SealError);
		expect(() => openSealed(sealed, { current: newSealingKey() }, 'ctx')).toThrow(/a key the Webhook Endpoint Secrets Key credential does not hold/);
	});

	test('a tampered value does not open, whatever part was changed', () => {
		const sealed = seal(secret, keys, 'ctx');
		const [, , id, iv, body] = sealed.split(':');
		const flip = (text: string, at: number) => {
			const bytes = Buffer.from(text, 'base64url');
			bytes[at] ^= 1;
			return bytes.toString('base64url');
		};
		for (const tampered of [
			`${SEALED_PREFIX}${id}:${flip(iv, 0)}:${body}`,
			`${SEALED_PREFIX}${id}:${iv}:${flip(body, 0)}`,
			`${SEALED_PREFIX}${id}:${iv}:${flip(body, Buffer.from(body, 'base64url').length - 1)}`,
			`${SEALED_PREFIX}${id}:${iv}:${body.slice(0, 10)}`,
		]) {
			expect(() => openSealed(tampered, keys, 'ctx')).toThrow(SealError);
		}
		expect(() => openSealed('not sealed', keys, 'ctx')).toThrow('The value is not a sealed secret');
		expect(() => openSealed(`${SEALED_PREFIX}a:b`, keys, 'ctx')).toThrow('The value is not a sealed secret');
	});

	test('a value moved to another endpoint or host (another context) does not open', () => {
		const sealed = seal(secret, keys, 'endpoint:7:auth:api.partner.example');
		expect(() => openSealed(sealed, keys, 'endpoint:8:auth:api.partner.example')).toThrow(/altered, or belongs to another endpoint or host/);
		expect(() => openSealed(sealed, keys, 'endpoint:7:auth:attacker.example')).toThrow(SealError);
	});

	test('a rotated key: values sealed with the previous key still open; new ones use the current key', () => {
		const old = seal(secret, keys, 'ctx');
		const rotated = { current: newSealingKey(), previous: key };
		expect(openSealed(old, rotated, 'ctx')).toBe(secret);
		const fresh = seal(secret, rotated, 'ctx');
		expect(openSealed(fresh, { current: rotated.current }, 'ctx')).toBe(secret);
		expect(() => openSealed(fresh, { current: key }, 'ctx')).toThrow(SealError);
		// Once the previous key is dropped, what it sealed no longer opens.
		expect(() => openSealed(old, { current: rotated.current }, 'ctx')).toThrow(SealError);
	});

	test('a malformed key is refused without repeating it', () => {
		for (const bad of ['', 'short', Buffer.alloc(16).toString('base64'), `${key}x`]) {
			expect(() => decodeSealingKey(bad)).toThrow('The endpoint secrets key must be 32 bytes in base64 (44 characters)');
		}
		expect(() => seal(secret, { current: 'nope' }, 'ctx')).toThrow(SealError);
	});
});
