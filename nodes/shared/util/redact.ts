/**
 * Scrubs secrets from anything a receiver sends back: a debugging endpoint that echoes the request
 * would otherwise put our secrets in the log. Receivers rarely echo bytes as sent, so each secret is
 * looked for in the forms an echo takes: URL-encoded (also twice, and as a form field), JSON-escaped,
 * and base64 (the secret alone, or inside a longer base64 text such as a Basic header).
 */
const REDACTED = '[redacted]';
/** Shorter values would match ordinary words; secrets from credentials are much longer. */
const MIN_SECRET_LENGTH = 4;
/** Inside a longer base64 text only the middle of the secret's encoding is fixed; shorter cores match by chance. */
const MIN_BASE64_CORE = 8;

export function secretForms(secret: string): string[] {
	if (secret.length < MIN_SECRET_LENGTH) return [];
	const bytes = Buffer.from(secret, 'utf8');
	const forms = new Set<string>([
		secret,
		encodeURIComponent(secret),
		encodeURIComponent(encodeURIComponent(secret)),
		new URLSearchParams({ v: secret }).toString().slice(2),
		encodeURI(secret),
		JSON.stringify(secret).slice(1, -1),
		JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
		JSON.stringify(JSON.stringify(secret)).slice(3, -3),
		// Encoders that escape everything but letters and digits (\u002b for "+", ...).
		[...secret].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join(''),
	]);
	for (const offset of [0, 1, 2]) {
		// The secret's bytes at each position modulo 3 in a longer base64 text: only the characters
		// made of the secret's bits alone are fixed, so those are what is looked for.
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		const first = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const core = encoded.slice(first, end);
		if (core.length >= MIN_BASE64_CORE) {
			forms.add(core);
			forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
		}
	}
	const whole = bytes.toString('base64');
	forms.add(whole);
	forms.add(whole.replace(/=+$/, ''));
	forms.add(bytes.toString('base64url'));
	return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

function allForms(secrets: Iterable<string>): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
	// Longest first, so a form that contains another is replaced whole.
	return [...forms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces every occurrence of every form of the secrets (case-insensitive: %2f and %2F alike). */
export function redact(text: string, secrets: Iterable<string>): string {
	const forms = allForms(secrets);
	if (forms.length === 0 || text === '') return text;
	return text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'gi'), REDACTED);
}

/** Bytes to read past the kept part so a secret that starts before the cut is seen whole. */
export function redactionMargin(secrets: Iterable<string>): number {
	return allForms(secrets).reduce((longest, form) => Math.max(longest, Buffer.byteLength(form)), 0);
}

/**
 * Redacts over the whole text first and only then keeps `keepBytes` of it, so a cut can never split
 * a secret in a way that hides it from redaction. If what is left still ends in the beginning of a
 * secret (the text itself ended mid-secret), that tail goes too.
 */
export function redactThenCut(text: string, secrets: Iterable<string>, keepBytes: number): string {
	const redacted = redact(text, secrets);
	const buffer = Buffer.from(redacted, 'utf8');
	let kept = buffer.length > keepBytes ? buffer.subarray(0, keepBytes).toString('utf8').replace(/\uFFFD$/, '') : redacted;
	const forms = allForms(secrets);
	const lower = kept.toLowerCase();
	let cutAt = -1;
	for (const form of forms) {
		const f = form.toLowerCase();
		// The longest tail of the text that is the start of this form (at least a few characters of it).
		for (let length = Math.min(f.length - 1, lower.length); length >= Math.min(MIN_SECRET_LENGTH, f.length - 1); length--) {
			if (length > 0 && lower.endsWith(f.slice(0, length))) {
				const start = lower.length - length;
				if (cutAt === -1 || start < cutAt) cutAt = start;
				break;
			}
		}
	}
	if (cutAt !== -1) kept = `${kept.slice(0, cutAt)}${REDACTED}`;
	return kept;
}
