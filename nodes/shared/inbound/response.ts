/**
 * The answer a workflow sends to the source system that posted the events (Respond to Event
 * Source): checked here so that a bad status, header or body is an error naming the setting,
 * never a broken HTTP answer.
 */
export interface SourceResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

const headerNamePattern = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** Headers n8n or the HTTP layer own: set by hand they would corrupt the answer. */
const reserved = new Set(['content-length', 'transfer-encoding', 'connection', 'host', 'upgrade', 'trailer']);

export function sourceResponse(input: { statusCode: unknown; body: unknown; headers: Array<{ name?: unknown; value?: unknown }> }): SourceResponse | { error: string } {
	const statusCode = Number(input.statusCode);
	if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return { error: 'Response Code must be a whole number from 100 to 599' };
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
	for (const { name, value } of input.headers) {
		const lower = String(name ?? '').trim().toLowerCase();
		if (!headerNamePattern.test(lower)) return { error: `Response Headers: "${String(name ?? '')}" is not a valid header name` };
		if (reserved.has(lower)) return { error: `Response Headers: "${lower}" is set by n8n and cannot be set here` };
		const text = String(value ?? '');
		if (/[\r\n\0]/.test(text)) return { error: `Response Headers: the value of "${lower}" has a line break or NUL` };
		headers[lower] = text;
	}
	let body = input.body;
	if (typeof body === 'string') {
		if (body.trim() === '') body = {};
		else {
			try {
				body = JSON.parse(body);
			} catch {
				return { error: 'Response Body is not valid JSON' };
			}
		}
	}
	if (body === undefined || typeof body === 'function' || typeof body === 'symbol' || typeof body === 'bigint') return { error: 'Response Body must be JSON' };
	return { statusCode, headers, body };
}
