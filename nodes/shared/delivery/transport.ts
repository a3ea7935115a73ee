import axios, { type AxiosInstance } from 'axios';

import type { UrlPolicy } from '../security/urlPolicy';
import { wireAdapter } from './wire';

/**
 * One axios instance per URL policy and socket limit, kept for the life of the process, so
 * keep-alive connections are reused across deliveries and across workflow executions.
 */
const instances = new Map<string, AxiosInstance>();
/** The same policy object comes with every attempt of a run: found without serialising it each time. */
const byPolicyObject = new WeakMap<UrlPolicy, Map<number, AxiosInstance>>();

export function transportFor(policy: UrlPolicy, maxSocketsPerHost: number): AxiosInstance {
	let forPolicy = byPolicyObject.get(policy);
	const known = forPolicy?.get(maxSocketsPerHost);
	if (known) return known;
	const key = JSON.stringify([policy, maxSocketsPerHost]);
	let instance = instances.get(key);
	if (!instance) {
		instance = axios.create({
			// node:http with keep-alive per origin, the address guard on every connection, a capped
			// read and one deadline per attempt; proxies from HTTP(S)_PROXY / NO_PROXY or the node.
			adapter: wireAdapter({ policy, maxSocketsPerHost }),
			// Redirects are never followed (the adapter has no such code): a 3xx is the receiver's
			// answer, and following one could lead past the URL policy.
			maxRedirects: 0,
			validateStatus: () => true,
			// The body is already the exact bytes to send and sign: no re-parsing, no re-encoding.
			transformRequest: [],
			transformResponse: [],
		});
		// axios merges its defaults into every request's config: fewer defaults, less to merge.
		// What is left is what this adapter reads (xsrf, env and the per-method header sets are
		// for browsers and form data).
		const defaults = instance.defaults as unknown as Record<string, unknown>;
		// `transitional` too: with it, axios validates its seven flags on every request.
		for (const unused of ['xsrfCookieName', 'xsrfHeaderName', 'env', 'maxContentLength', 'maxBodyLength', 'timeout', 'transitional']) delete defaults[unused];
		instance.defaults.headers = { common: {} } as never;
		instances.set(key, instance);
	}
	if (!forPolicy) byPolicyObject.set(policy, (forPolicy = new Map()));
	forPolicy.set(maxSocketsPerHost, instance);
	return instance;
}
