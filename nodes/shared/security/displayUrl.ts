/**
 * A URL as it may be shown (node output, log rows): a user name or password in it is replaced, so
 * a URL that carries credentials (refused for delivery anyway) does not leak them.
 */
export function displayUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1[redacted]@');
}
