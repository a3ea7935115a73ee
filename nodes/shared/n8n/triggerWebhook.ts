import { NodeOperationError, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import type { EventSystem } from '../event/catalog';
import { secretHeaderConfigFrom, signingSecretsFrom } from './credentialData';
import { triggerCustomEventTypes } from './customEventTypes';
import { assertUsableAuth, type InboundAuth } from '../inbound/auth';
import { declaredTooLarge, receiveEvents, tooLarge, type InboundResult, type InboundSettings } from '../inbound/receive';
import { optionReader } from './options';
import { triggerOptions } from './triggerDescription';

type RespondMode = 'immediately' | 'afterWorkflow' | 'responseNode';

/** The request as n8n's webhook server hands it over (an express request with n8n's additions). */
interface N8nRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	body?: unknown;
}

/**
 * The `webhook()` of both event triggers. Refused requests are answered here and start nothing;
 * accepted events become the output items, and n8n answers the sender as "Respond" says.
 */
export async function handleEventWebhook(ctx: IWebhookFunctions, system: EventSystem): Promise<IWebhookResponseData> {
	const settings = await readInboundSettings(ctx, system);
	const respond = ctx.getNodeParameter('respond', 'afterWorkflow') as RespondMode;
	const req = ctx.getRequestObject() as unknown as N8nRequest;

	const early = declaredTooLarge(req.headers, settings.maxBodyBytes);
	if (early) return answer(ctx, early);

	let rawBody: Buffer | undefined;
	try {
		rawBody = await readBody(req);
	} catch (error) {
		const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
		if (status === 413) return answer(ctx, tooLarge(settings.maxBodyBytes ?? 0));
		return answer(ctx, { statusCode: 400, body: { error: 'bad_request', message: 'The body could not be read' }, events: [] });
	}

	let result = receiveEvents({ headers: req.headers, rawBody }, settings);
	// Custom types are read only for an authenticated request with a type that is not built in.
	if (result.unknownTypes) {
		const custom = await triggerCustomEventTypes(ctx);
		if (custom.customEventTypes?.length || custom.customEventTypesUnavailable) result = receiveEvents({ headers: req.headers, rawBody }, { ...settings, ...custom });
	}
	if (result.statusCode !== 202 || result.events.length === 0) return answer(ctx, result);

	const workflowData = [result.events.map((event) => ({ json: event as unknown as IDataObject }))];
	// n8n sends this receipt with the webhook's response code (202) once the execution has started.
	return respond === 'immediately' ? { workflowData, webhookResponse: result.body } : { workflowData };
}

/**
 * The raw body bytes: `req.rawBody` when n8n has read them already (it does whenever it parses a
 * body for the node), else n8n's own `readRawBody()` (this node asks n8n not to pre-parse). Only
 * if neither exists, a re-serialised parsed body: its bytes differ from the sender's, so a
 * signature check on it fails, which is the safe way to fail.
 */
async function readBody(req: N8nRequest): Promise<Buffer | undefined> {
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
	if (typeof req.readRawBody === 'function') {
		await req.readRawBody();
		if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
	}
	if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
	if (req.body !== undefined && req.body !== null) return Buffer.from(JSON.stringify(req.body), 'utf8');
	return undefined;
}

function answer(ctx: IWebhookFunctions, result: InboundResult): IWebhookResponseData {
	const res = ctx.getResponseObject();
	const body = JSON.stringify(result.body);
	res.writeHead(result.statusCode, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		'cache-control': 'no-store',
		...(result.statusCode === 503 ? { 'retry-after': '30' } : {}),
	});
	res.end(body);
	return { noWebhookResponse: true };
}

export async function readInboundSettings(ctx: IWebhookFunctions, system: EventSystem): Promise<InboundSettings> {
	const events = ctx.getNodeParameter('events', ['*']) as string[];
	const options = ctx.getNodeParameter('triggerOptions', {}) as IDataObject;
	const channels = typeof options.channels === 'string' ? options.channels.split(/[\s,]+/).filter(Boolean) : [];
	const { number } = optionReader(ctx.getNode(), triggerOptions(system), options);
	const maxBodySizeMb = number('maxBodySizeMb');
	const maxEvents = Math.floor(number('maxEvents'));
	const auth = await readInboundAuth(ctx);
	const validation = ctx.getNodeParameter('validation', 'lenient');
	return {
		system,
		validation: validation === 'strict' ? 'strict' : 'lenient',
		eventTypes: events.includes('*') ? [] : events,
		channels,
		auth,
		maxBodyBytes: Math.round(maxBodySizeMb * 1024 * 1024),
		maxEvents,
	};
}

async function readInboundAuth(ctx: IWebhookFunctions): Promise<InboundAuth> {
	const mode = ctx.getNodeParameter('authentication', 'signature') as InboundAuth['mode'];
	let auth: InboundAuth;
	if (mode === 'secretHeader') {
		const config = secretHeaderConfigFrom(await ctx.getCredentials('webhookSecretHeaderApi'));
		auth = { mode, headerName: config.headerName, secret: config.secret };
	} else if (mode === 'signature') {
		auth = { mode, secrets: signingSecretsFrom(await ctx.getCredentials('webhookSigningSecretApi')) };
	} else {
		auth = { mode: 'none' };
	}
	try {
		assertUsableAuth(auth);
	} catch (error) {
		// Thrown, not answered: n8n then records a failed execution the workflow's owner can see,
		// and answers the sender with a generic 500.
		throw new NodeOperationError(ctx.getNode(), `Authentication: ${(error as Error).message}`);
	}
	return auth;
}
