#!/usr/bin/env node
/* eslint-disable no-console -- a command-line tool talks to its user on the console */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { sendSampleCommand, sendSampleUsage, signCommand, signUsage } from './postCommands';
import { completeSecrets, setup, type SetupSecrets } from './setup';
import { UsageError } from './sourcePost';
import { describeUrls } from './urls';

const usage = `Usage: n8n-nodes-webhook-notifications <command> [options]

Commands:
  setup         create the tables and credentials, import the starter workflows, print their URLs
  sign          sign a post the way a source system does, with the secret you give
  send-sample   post a catalog sample event to a trigger
Run a command with --help for its options.

n8n-nodes-webhook-notifications setup --url <n8n URL> --api-key <key> [options]

Creates the data tables (webhook_endpoints, webhook_events, ..., webhook_event_types) and imports the
starter workflows through n8n's public API. Safe to run again: tables and workflows are reused.

Options:
  --url <url>                 n8n's base URL, e.g. http://localhost:5678
  --api-key <key>             an n8n API key (or set N8N_API_KEY)
  --allow-private-hosts <list>  hosts/CIDRs the Deliver Webhook nodes may call although private
  --allow-http-hosts <list>   hosts that may be called over plain http (the starter workflows
                              require https otherwise), e.g. 127.0.0.1,localhost for local receivers
  --deliver-option <k=v>      any other Deliver Webhook option (repeatable)
  --set <Node.param=value>    override a node parameter in the starter workflows (repeatable)
  --secrets-file <path>       where the secrets of the credentials setup creates are kept
                              (default ./webhook-notifications.secrets.json, mode 0600): read if
                              it exists, written if not. WEBHOOK_SIGNING_SECRET,
                              WEBHOOK_SOURCE_SIGNING_SECRET and WEBHOOK_ADMIN_TOKEN take precedence.
  --data-table-limit <bytes>  the instance's N8N_DATA_TABLES_MAX_SIZE_BYTES (default: that variable
                              here, else n8n's 200 MiB): Retention and the activity page measure
                              the data-table space against it
  --no-activate               import without activating
`;

function parseValue(text: string): string | number | boolean {
	if (text === 'true' || text === 'false') return text === 'true';
	return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function pairs(list: string[] | undefined): Record<string, string | number | boolean> {
	const out: Record<string, string | number | boolean> = {};
	for (const entry of list ?? []) {
		const at = entry.indexOf('=');
		if (at < 1) throw new Error(`"${entry}" is not key=value`);
		out[entry.slice(0, at)] = parseValue(entry.slice(at + 1));
	}
	return out;
}

/** The secrets file, completed with generated values and written back (owner-only) when anything was missing. */
function readSecrets(file: string): Required<SetupSecrets> {
	const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SetupSecrets) : {};
	const given: SetupSecrets = {
		signingSecret: process.env.WEBHOOK_SIGNING_SECRET || stored.signingSecret,
		sourceSigningSecret: process.env.WEBHOOK_SOURCE_SIGNING_SECRET || stored.sourceSigningSecret,
		adminToken: process.env.WEBHOOK_ADMIN_TOKEN || stored.adminToken,
		endpointSecretsKey: process.env.WEBHOOK_ENDPOINT_SECRETS_KEY || stored.endpointSecretsKey,
	};
	const secrets = completeSecrets(given);
	const generated = (Object.keys(secrets) as Array<keyof SetupSecrets>).some((key) => !given[key]);
	if (generated) {
		writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
	}
	return secrets;
}

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

async function main(): Promise<number> {
	const command = process.argv[2];
	if (command === 'sign' || command === 'send-sample') {
		try {
			return command === 'sign' ? await signCommand(process.argv.slice(3), io) : await sendSampleCommand(process.argv.slice(3), io);
		} catch (error) {
			// parseArgs's errors (an unknown option) and ours name what is wrong; the usage says what is right.
			if (!(error instanceof UsageError) && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
			console.error(`${command}: ${(error as Error).message}\n`);
			console.error(command === 'sign' ? signUsage : sendSampleUsage);
			return 2;
		}
	}
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			url: { type: 'string' },
			'api-key': { type: 'string' },
			'allow-private-hosts': { type: 'string' },
			'allow-http-hosts': { type: 'string' },
			'deliver-option': { type: 'string', multiple: true },
			set: { type: 'string', multiple: true },
			'no-activate': { type: 'boolean', default: false },
			'data-table-limit': { type: 'string' },
			'secrets-file': { type: 'string', default: 'webhook-notifications.secrets.json' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help || positionals[0] !== 'setup') {
		console.log(usage);
		return values.help ? 0 : 2;
	}
	const apiKey = values['api-key'] ?? process.env.N8N_API_KEY;
	if (!values.url || !apiKey) {
		console.error('setup needs --url and --api-key (or N8N_API_KEY)\n');
		console.error(usage);
		return 2;
	}
	const deliverOptions = pairs(values['deliver-option']);
	if (values['allow-private-hosts']) deliverOptions.allowedPrivateHosts = values['allow-private-hosts'];
	if (values['allow-http-hosts']) deliverOptions.allowedHttpHosts = values['allow-http-hosts'];
	const limit = values['data-table-limit'] ?? process.env.N8N_DATA_TABLES_MAX_SIZE_BYTES;
	const dataTableLimitBytes = limit === undefined || limit === '' ? undefined : Number(limit);
	if (dataTableLimitBytes !== undefined && !(Number.isSafeInteger(dataTableLimitBytes) && dataTableLimitBytes > 0)) {
		console.error('--data-table-limit must be a whole number of bytes');
		return 2;
	}
	const secretsFile = resolve(values['secrets-file']!);
	const secrets = readSecrets(secretsFile);
	const result = await setup({
		url: values.url,
		apiKey,
		workflowsDir: join(__dirname, '..', '..', '..', 'workflows'),
		activate: !values['no-activate'],
		deliverOptions,
		overrides: pairs(values.set),
		dataTableLimitBytes,
		secrets,
		log: (line) => console.log(line),
	});
	if (result.createdCredentials.length > 0) console.log(`the new credentials' secrets are in ${secretsFile} (readable by you only)`);
	console.log(JSON.stringify(result, null, 2));
	console.log(`\n${describeUrls(result.urls, values.url).join('\n')}`);
	console.log(`\nTry it: n8n-nodes-webhook-notifications send-sample invoice.paid --n8n-url ${values.url} --secret-file ${secretsFile}`);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(`setup failed: ${error.message}`);
		process.exit(1);
	},
);
