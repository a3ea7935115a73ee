import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { isEventSystem } from '../../nodes/shared/event/catalog';
import { curlCommand, dispatchTriggerUrl, readSecret, sampleBody, signPost, UsageError } from './sourcePost';

export interface Io {
	out: (line: string) => void;
	err: (line: string) => void;
}

export const signUsage = `Usage: n8n-nodes-webhook-notifications sign (--secret-file <file> | --secret <whsec_...>)
         (--sample <event-type> | --body <json> | --body-file <file>) [--url <trigger URL> | --n8n-url <n8n URL>] [--json]

Signs a post the way a source system signs it (Standard Webhooks headers), with the secret you give:
the trigger's "Source Signing Secret". --secret-file takes a file holding the secret, or setup's
secrets file (its sourceSigningSecret). With a URL it prints a curl command; --json prints
{ url, headers, body }. The secret itself is never printed.

  --sample <type>      a catalog sample with a fresh id and the current time
  --without <path>     leave a field out of the sample's data, e.g. order.orderNumber (repeatable)
  --data-file <file>   the data for a --sample type that is not built in (a custom type)
`;

export const sendSampleUsage = `Usage: n8n-nodes-webhook-notifications send-sample <event-type> (--url <trigger URL> | --n8n-url <n8n URL>)
         (--secret-file <file> | --secret <whsec_...> | --no-sign) [--without <path>]... [--data-file <file>] [--system billing|shipping]

Posts the catalog's sample of an event type to a trigger, signed with the secret you give, and
prints the trigger's answer. --n8n-url posts to the starter dispatch of the type's system (give
--system for a custom type). Exits 0 when the trigger accepted the post (2xx), else 1.
`;

const common = {
	secret: { type: 'string' },
	'secret-file': { type: 'string' },
	url: { type: 'string' },
	'n8n-url': { type: 'string' },
	without: { type: 'string', multiple: true },
	'data-file': { type: 'string' },
	system: { type: 'string' },
	help: { type: 'boolean', default: false },
} as const;

function readJsonFile(file: string, what: string): unknown {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		throw new UsageError(`${what} ${file} cannot be read as JSON`);
	}
}

function sampleFrom(type: string, values: { without?: string[]; 'data-file'?: string }) {
	const data = values['data-file'] ? readJsonFile(values['data-file'], 'the data file') : undefined;
	if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) throw new UsageError('the data file must hold a JSON object');
	return sampleBody(type, { without: values.without, data: data as Record<string, unknown> | undefined });
}

function targetUrl(values: { url?: string; 'n8n-url'?: string; system?: string }, system: string | undefined): string | undefined {
	if (values.url) return checkedUrl(values.url);
	if (!values['n8n-url']) return undefined;
	const chosen = values.system ?? system;
	if (!isEventSystem(chosen)) throw new UsageError('--n8n-url needs the event type\'s system: give --system billing or --system shipping');
	return dispatchTriggerUrl(checkedUrl(values['n8n-url']), chosen);
}

function checkedUrl(text: string): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new UsageError(`"${text}" is not a URL`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${text}" is not an http(s) URL`);
	return url.toString().replace(/\/$/, '');
}

export async function signCommand(argv: string[], io: Io): Promise<number> {
	const { values } = parseArgs({ args: argv, options: { ...common, sample: { type: 'string' }, body: { type: 'string' }, 'body-file': { type: 'string' }, json: { type: 'boolean', default: false } } });
	if (values.help) {
		io.out(signUsage);
		return 0;
	}
	const sources = [values.sample, values.body, values['body-file']].filter((value) => value !== undefined);
	if (sources.length !== 1) throw new UsageError('give exactly one of --sample, --body or --body-file');
	const secret = readSecret({ secret: values.secret, secretFile: values['secret-file'] });
	let body: string;
	let system: string | undefined;
	if (values.sample) {
		({ body, system } = sampleFrom(values.sample, values));
	} else {
		body = values.body ?? readFileSync(values['body-file']!, 'utf8');
		try {
			JSON.parse(body);
		} catch {
			throw new UsageError('the body is not JSON; the triggers accept only JSON');
		}
	}
	const url = targetUrl(values, system);
	const post = signPost(secret, body);
	if (values.json) io.out(JSON.stringify({ ...(url ? { url } : {}), ...post }, null, 2));
	else if (url) io.out(curlCommand(url, post));
	else {
		for (const [name, value] of Object.entries(post.headers)) io.out(`${name}: ${value}`);
		io.out('');
		io.out(body);
	}
	return 0;
}

export async function sendSampleCommand(argv: string[], io: Io, options: { timeoutMs?: number } = {}): Promise<number> {
	const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...common, 'no-sign': { type: 'boolean', default: false } } });
	if (values.help) {
		io.out(sendSampleUsage);
		return 0;
	}
	const type = positionals[0];
	if (!type || positionals.length > 1) throw new UsageError('give one event type, e.g. send-sample invoice.paid');
	if (values['no-sign'] && (values.secret || values['secret-file'])) throw new UsageError('--no-sign and a secret contradict each other');
	const { body, system } = sampleFrom(type, values);
	const url = targetUrl(values, system);
	if (!url) throw new UsageError('give the trigger\'s URL (--url) or the n8n URL (--n8n-url)');
	const headers = values['no-sign'] ? { 'content-type': 'application/json' } : signPost(readSecret({ secret: values.secret, secretFile: values['secret-file'] }), body).headers;
	let response: Response;
	try {
		response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
	} catch (error) {
		io.err(`POST ${url} failed: ${(error as Error).message}`);
		return 1;
	}
	const text = await response.text();
	io.out(`POST ${url} -> ${response.status}`);
	if (text) io.out(text.length > 4000 ? `${text.slice(0, 4000)}…` : text);
	return response.ok ? 0 : 1;
}
