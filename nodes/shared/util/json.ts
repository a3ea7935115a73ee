/**
 * Reading untrusted JSON. `JSON.parse` itself never touches prototypes (a "__proto__" key becomes
 * an ordinary own property), but the objects it returns travel on through zod, n8n and the
 * Deliver Webhook node, where a "__proto__" or "constructor" key could reach an assignment that
 * does. Such keys have no place in an event, so the body is refused instead.
 */

export const DEFAULT_MAX_DEPTH = 32;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonReadResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Strict UTF-8 (a byte-order mark is dropped); undefined for bytes that are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
	try {
		return strictUtf8.decode(bytes);
	} catch {
		return undefined;
	}
}

export function parseJsonSafely(text: string, maxDepth: number = DEFAULT_MAX_DEPTH): JsonReadResult {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		// The parser's message quotes the body; the sender has it already, the response needn't.
		return { ok: false, message: 'The body is not valid JSON' };
	}
	const problem = checkStructure(value, maxDepth);
	return problem ? { ok: false, message: problem } : { ok: true, value };
}

/** Depth and key check without recursion, so a deeply nested body cannot exhaust the stack. */
function checkStructure(root: unknown, maxDepth: number): string | undefined {
	const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
	while (stack.length > 0) {
		const { value, depth } = stack.pop()!;
		if (value === null || typeof value !== 'object') continue;
		if (depth >= maxDepth) return `The body is nested more than ${maxDepth} levels deep`;
		if (Array.isArray(value)) {
			for (const child of value) stack.push({ value: child, depth: depth + 1 });
			continue;
		}
		for (const key of Object.keys(value)) {
			if (forbiddenKeys.has(key)) return `The body contains the key "${key}", which is not allowed`;
			stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
		}
	}
	return undefined;
}
