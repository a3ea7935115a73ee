import { oauth2Authentication } from '../../../nodes/shared/auth/authenticator';
import { redact, redactionMargin, redactThenCut, secretForms } from '../../../nodes/shared/util/redact';

/** Redaction of what receivers echo: every encoding, and never undone by the cut. */
const token = 'AT_6_abcdEFGH+ij/kl=mnop_0123456789';
const clientId = 'partner-client';
const clientSecret = 'cs/very+secret=value&more';
const pair = `${clientId}:${clientSecret}`;
/** What the node redacts for an OAuth2 endpoint: the authenticator's list (no request is made) and the token. */
const secrets = [
	...oauth2Authentication({ tokenUrl: 'https://auth.example/token', clientId, clientSecret, authentication: 'header' }, { getToken: async () => token, invalidate: () => undefined } as never).secretValues,
	token,
];

const echoes: Array<[string, string]> = [
	['verbatim', `authorization: Bearer ${token}`],
	['URL-encoded', `?token=${encodeURIComponent(token)}&x=1`],
	['URL-encoded, lowercase hex', `?token=${encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`],
	['URL-encoded twice', `next=${encodeURIComponent(encodeURIComponent(token))}`],
	['form-encoded', new URLSearchParams({ client_secret: clientSecret }).toString()],
	['JSON-escaped', JSON.stringify({ headers: { authorization: `Bearer ${token}` } })],
	['JSON-escaped with \\/', JSON.stringify({ s: clientSecret }).replace(/\//g, '\\/')],
	['JSON inside JSON', JSON.stringify({ raw: JSON.stringify({ token }) })],
	['\\u-escaped', clientSecret.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
	['base64 of client_id:client_secret (Basic)', `authorization: Basic ${Buffer.from(pair).toString('base64')}`],
	['base64 of the form-encoded pair', `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`],
	['base64 of the token alone', Buffer.from(token).toString('base64')],
	['base64url of the token', Buffer.from(token).toString('base64url')],
	['base64 of a whole header dump (offset 1)', Buffer.from(`x${token}\n`).toString('base64')],
	['base64 of a whole header dump (offset 2)', Buffer.from(`xy: ${token}`).toString('base64')],
];

/** Whether any form of any secret is still in the text (the checks run on the inputs' own encodings). */
function leaks(text: string): string[] {
	const found: string[] = [];
	for (const secret of [token, clientSecret]) {
		for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1)]) {
			if (text.toLowerCase().includes(form.toLowerCase())) found.push(form);
		}
	}
	if (text.includes(Buffer.from(pair).toString('base64'))) found.push('basic');
	return found;
}

describe('redact', () => {
	test.each(echoes)('%s: replaced', (_name, echo) => {
		const out = redact(echo, secrets);
		expect(out).toContain('[redacted]');
		expect(leaks(out)).toEqual([]);
	});

	test('plain text without secrets is left alone; short values are not treated as secrets', () => {
		expect(redact('ok', secrets)).toBe('ok');
		expect(redact('abc abc', ['abc'])).toBe('abc abc');
	});

	test('the base64 cores need enough characters not to match by chance', () => {
		for (const form of secretForms('abcd')) expect(form.length).toBeGreaterThanOrEqual(4);
	});
});

describe('redaction across the cut', () => {
	// Every cut position through every echo: nothing of the secret survives, in any form.
	test.each(echoes)('%s, cut at every byte', (_name, echo) => {
		const body = `${'x'.repeat(20)} ${echo} ${'y'.repeat(20)}`;
		for (let keep = 0; keep <= Buffer.byteLength(body); keep++) {
			const out = redactThenCut(body, secrets, keep);
			expect({ keep, leaks: leaks(out) }).toEqual({ keep, leaks: [] });
			// No tail that starts a secret: the first few characters of the token are gone too.
			expect({ keep, tail: /AT_6_a/.test(out) }).toEqual({ keep, tail: false });
		}
	});

	test('a body that itself ends mid-secret loses the partial secret', () => {
		expect(redactThenCut(`Bearer ${token.slice(0, 9)}`, secrets, 4096)).toBe('Bearer [redacted]');
		expect(redactThenCut(`Bearer ${token.slice(0, 9)}`, secrets, 15)).toBe('Bearer [redacted]');
	});

	test('the observed leak: a cut inside the token leaves no part of it', () => {
		const body = `{"echo":"Bearer ${token}","more":"${'z'.repeat(100)}"}`;
		const out = redactThenCut(body, secrets, 24);
		expect(out).not.toContain('AT_6');
		expect(out.startsWith('{"echo":"Bearer [')).toBe(true);
	});

	test('only the kept part plus the margin is read: secrets back to back across the cut still leave nothing', () => {
		// What attempt.ts does: read keep + margin bytes, redact, cut. Redaction shortens the text, so
		// bytes from the end of the window move before the cut; a secret cut there is a tail and goes too.
		const margin = redactionMargin(secrets);
		for (const gap of [0, 1, 5, 17]) {
			for (let keep = 40; keep <= 200; keep += 7) {
				const body = `${'x'.repeat(keep - 5)}${[token, encodeURIComponent(token), clientSecret, token].join(' '.repeat(gap))}${'y'.repeat(300)}`;
				const window = Buffer.from(body).subarray(0, keep + margin).toString('utf8');
				const out = redactThenCut(window, secrets, keep);
				expect({ gap, keep, leaks: leaks(out), tail: /AT_6_a|cs\/very/i.test(out) }).toEqual({ gap, keep, leaks: [], tail: false });
			}
		}
	});

	test('the read window covers the longest form past the cut', () => {
		expect(redactionMargin(secrets)).toBeGreaterThanOrEqual(Buffer.byteLength(encodeURIComponent(encodeURIComponent(pair))));
		expect(redactionMargin([])).toBe(0);
	});

	test('text without secrets is cut at the byte limit, not on a broken character', () => {
		expect(redactThenCut('héllo', [], 2)).toBe('h');
		expect(redactThenCut('hello', [], 3)).toBe('hel');
	});
});
