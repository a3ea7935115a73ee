import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

import { guardedLookup, type UrlPolicy } from '../security/urlPolicy';

/**
 * One axios instance per URL policy and socket limit, kept for the life of the process, so
 * keep-alive connections are reused across deliveries and across workflow executions.
 */
const instances = new Map<string, AxiosInstance>();

export function transportFor(policy: UrlPolicy, maxSocketsPerHost: number): AxiosInstance {
	const key = JSON.stringify([policy, maxSocketsPerHost]);
	let instance = instances.get(key);
	if (!instance) {
		const agentOptions = { keepAlive: true, maxSockets: maxSocketsPerHost, lookup: guardedLookup(policy) as never };
		instance = axios.create({
			httpAgent: new http.Agent(agentOptions),
			httpsAgent: new https.Agent(agentOptions),
			// Redirects are never followed: a 3xx is the receiver's answer, and following one could
			// lead past the URL policy. Proxies from the environment would bypass the policy too.
			maxRedirects: 0,
			proxy: false,
			responseType: 'stream',
			validateStatus: () => true,
			transitional: { clarifyTimeoutError: true },
		});
		instances.set(key, instance);
	}
	return instance;
}
