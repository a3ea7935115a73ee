/**
 * Replaces every occurrence of the given secrets in a text. Used on anything a receiver sends back
 * (a debugging endpoint that echoes request headers would otherwise put our secrets in the log).
 */
export function redact(text: string, secrets: Iterable<string>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join('[redacted]');
	}
	return result;
}
