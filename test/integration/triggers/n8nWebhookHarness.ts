import './n8nUserFolder';

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/*
 * A loopback HTTP server that runs a trigger node's webhook the way n8n 2.41.1's webhook server
 * does, step for step (files are those of the n8n@2.41.1 npm package):
 *  - dist/middlewares/body-parser.js `rawBodyReader`: req.readRawBody() reads the body once into
 *    req.rawBody, gunzips/inflates per Content-Encoding, and fails with 413 above
 *    N8N_PAYLOAD_SIZE_MAX (16 MB by default); @n8n/backend-network parseIncomingMessage sets
 *    req.contentType and req.encoding.
 *  - dist/webhooks/webhook-helpers.js `evaluateResponseOptions`: responseMode / responseCode /
 *    responseData from the webhook description, evaluated by the workflow's real expression engine.
 *  - `parseRequestBody`: for a type-version-1 node, skips parsing when
 *    $parameter["options"]["binaryData"] is truthy; otherwise `parseBody` reads the raw body and
 *    JSON-parses application/json, answering 422 "Failed to parse request body" on bad JSON.
 *  - dist/webhooks/webhook.service.js `runWebhook`: a real n8n-core WebhookContext with the
 *    request and response in additionalData, then node.webhook.call(context).
 *  - `noWebhookResponse` -> n8n writes nothing; no workflowData -> webhookResponse (or
 *    {message:'Webhook call received'}) with the response code; otherwise an execution starts and
 *    the answer follows the response mode: onReceived -> webhookResponse (unless responseData is
 *    set) with the response code; lastNode -> after the run, per responseData, or 500
 *    {message:'Error in workflow'}; responseNode -> what a Respond to Webhook node sends, or the
 *    response code with an empty body when the run ends without one.
 *  - Errors thrown by webhook() -> 500 {message:'Workflow Webhook Error: Workflow could not be started!'}.
 * "The rest of the workflow" is a test-supplied function of the trigger's output items.
 */

export interface Execution {
	mode: 'manual' | 'webhook';
	items: INodeExecutionData[];
}

export interface Downstream {
	(items: INodeExecutionData[], respond: (response: { statusCode: number; body: unknown }) => void): Promise<INodeExecutionData[]>;
}

export interface HarnessOptions {
	nodeType: INodeType;
	parameters: Record<string, unknown>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** 'manual' is "Listen for test event" (the /webhook-test/ URL), 'webhook' a production run. */
	mode?: 'manual' | 'webhook';
	payloadSizeMaxMb?: number;
	/** The nodes after the trigger; by default they pass the items through. */
	downstream?: Downstream;
}

const packageName = 'n8n-nodes-webhook-notifications';

export class N8nWebhookHarness {
	readonly executions: Execution[] = [];
	readonly webhookErrors: Error[] = [];
	private server: Server | undefined;
	private readonly workflow: Workflow;
	private readonly node: INode;
	private readonly description: IWebhookDescription;

	constructor(private readonly options: HarnessOptions) {
		const nodeType = options.nodeType;
		const typeName = `${packageName}.${nodeType.description.name}`;
		const nodeTypes: INodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		const credentials = Object.fromEntries(Object.keys(options.credentials ?? {}).map((type) => [type, { id: `cred-${type}`, name: type }]));
		this.workflow = new Workflow({
			id: 'wf-under-test',
			name: 'Trigger under test',
			nodes: [
				{
					id: 'trigger-node',
					name: nodeType.description.defaults.name ?? 'Trigger',
					type: typeName,
					typeVersion: 1,
					position: [0, 0],
					webhookId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
					parameters: options.parameters as INode['parameters'],
					credentials,
				},
			],
			connections: {},
			active: (options.mode ?? 'webhook') === 'webhook',
			nodeTypes,
			staticData: {},
			settings: {},
		});
		// The workflow's own node: its parameters now carry the defaults, as in n8n.
		this.node = Object.values(this.workflow.nodes)[0];
		this.description = nodeType.description.webhooks![0];
	}

	get nodeParameters(): INode['parameters'] {
		return this.node.parameters;
	}

	/** The URL as n8n builds it for a non-full-path webhook: /webhook(-test)/<webhookId>/<path>. */
	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		const base = (this.options.mode ?? 'webhook') === 'manual' ? 'webhook-test' : 'webhook';
		return `http://127.0.0.1:${port}/${base}/${this.node.webhookId}/${this.description.path}`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error) => {
				if (!res.headersSent) sendJson(res, 500, { code: 500, message: (error as Error).message });
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	/** What n8n evaluates from the webhook description before running the node. */
	responseOptions() {
		const mode = (this.options.mode ?? 'webhook') === 'manual' ? 'manual' : 'webhook';
		const simple = (name: string, fallback?: unknown) =>
			this.workflow.expression.getSimpleParameterValue(this.node, this.description[name] as string | undefined, mode, {}, undefined, fallback as never);
		const complex = (name: string, fallback?: unknown) =>
			this.workflow.expression.getComplexParameterValue(this.node, this.description[name] as string | undefined, mode, {}, undefined, fallback as never);
		return {
			responseMode: simple('responseMode', 'onReceived') as string,
			responseCode: Number(simple('responseCode', 200)),
			responseData: complex('responseData', 'firstEntryJson') as string | undefined,
		};
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const request = req as IncomingMessage & N8nRequestAdditions;
		addRawBodyReader(request, (this.options.payloadSizeMaxMb ?? 16) * 1024 * 1024);
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		if (req.method !== 'POST' || path !== new URL(this.url).pathname) {
			return sendJson(res, 404, { code: 404, message: `The requested webhook "${req.method} ${path}" is not registered.` });
		}
		const { responseMode, responseCode, responseData } = this.responseOptions();
		const mode = this.options.mode ?? 'webhook';

		// parseRequestBody, for a node of type version 1.
		const binaryData = this.workflow.expression.getSimpleParameterValue(this.node, '={{$parameter["options"]["binaryData"]}}', mode, {}, undefined, false);
		if (!binaryData && request.contentType !== 'multipart/form-data') {
			try {
				await request.readRawBody();
				if (request.rawBody?.length && request.contentType === 'application/json') {
					request.body = JSON.parse(request.rawBody.toString(request.encoding as BufferEncoding).replace(/^\uFEFF/, ''));
				}
			} catch {
				return sendJson(res, 422, { code: 422, message: 'Failed to parse request body' });
			}
		}

		const credentialsHelper = {
			getDecrypted: async (_additionalData: unknown, _nodeCredentials: unknown, type: string) => {
				const data = this.options.credentials?.[type];
				if (!data) throw new Error(`No credentials of type ${type}`);
				return data;
			},
			isCredentialUsableByNode: () => true,
			getParentTypes: () => [],
		};
		const additionalData = { httpRequest: request, httpResponse: res, credentialsHelper } as unknown as IWorkflowExecuteAdditionalData;
		const webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: this.description.path,
			webhookDescription: this.description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: mode === 'manual',
		} as IWebhookData;
		const context = new WebhookContext(this.workflow, this.node, additionalData, mode, webhookData, [], null);

		let result: IWebhookResponseData;
		try {
			result = await this.options.nodeType.webhook!.call(context);
		} catch (error) {
			this.webhookErrors.push(error as Error);
			this.executions.push({ mode, items: [{ json: {} }] });
			return sendJson(res, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}

		if (result.noWebhookResponse && result.workflowData === undefined) return;
		if (result.workflowData === undefined) {
			return sendJson(res, responseCode, result.webhookResponse ?? { message: 'Webhook call received' });
		}

		const items = result.workflowData[0] ?? [];
		this.executions.push({ mode, items });
		const downstream: Downstream = this.options.downstream ?? (async (input) => input);

		if (responseMode === 'onReceived') {
			// extractWebhookOnReceivedResponse
			const body = responseData === 'noData' ? undefined : responseData ? responseData : (result.webhookResponse ?? { message: 'Workflow was started' });
			sendJson(res, responseCode, body);
			await downstream(items, () => undefined).catch(() => undefined);
			return;
		}
		if (responseMode === 'lastNode') {
			let output: INodeExecutionData[];
			try {
				output = await downstream(items, () => undefined);
			} catch {
				return sendJson(res, 500, { message: 'Error in workflow' });
			}
			if (output.length === 0) return sendJson(res, responseCode, { message: 'Workflow executed successfully but the last node did not return any data' });
			const body = responseData === 'allEntries' ? output.map((item) => item.json) : responseData === 'noData' ? undefined : output[0].json;
			return sendJson(res, responseCode, body);
		}
		if (responseMode === 'responseNode') {
			let responded = false;
			try {
				await downstream(items, (response) => {
					responded = true;
					sendJson(res, response.statusCode, response.body);
				});
			} catch {
				if (!responded) return sendJson(res, 500, { message: 'Error in workflow' });
				return;
			}
			if (!responded) sendJson(res, responseCode, undefined);
			return;
		}
		sendJson(res, 500, { code: 500, message: `The response mode '${responseMode}' is not valid!` });
	}
}

interface N8nRequestAdditions {
	rawBody?: Buffer;
	readRawBody: () => Promise<void>;
	contentType?: string;
	encoding?: string;
	body?: unknown;
}

/** n8n's rawBodyReader middleware and parseIncomingMessage, for one request. */
function addRawBodyReader(req: IncomingMessage & N8nRequestAdditions, limitBytes: number): void {
	const contentType = req.headers['content-type'];
	if (contentType) {
		const [type, ...parameters] = contentType.split(';');
		req.contentType = type.toLowerCase();
		const charset = parameters.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
		req.encoding = (charset ? charset.slice('charset='.length).replace(/"/g, '') : 'utf-8').toLowerCase() as BufferEncoding;
	}
	// Like raw-body: on the limit it stops reading (pauses, no destroy) so an answer can still go out.
	req.readRawBody = async () =>
		await new Promise<void>((resolve, reject) => {
			if (req.rawBody) return resolve();
			const encoding = req.headers['content-encoding'];
			const stream: Readable = encoding === 'gzip' ? req.pipe(createGunzip()) : encoding === 'deflate' ? req.pipe(createInflate()) : req;
			const chunks: Buffer[] = [];
			let size = 0;
			const cleanup = () => {
				stream.off('data', onData);
				stream.off('end', onEnd);
				stream.off('error', onError);
			};
			const onData = (chunk: Buffer) => {
				size += chunk.length;
				if (size > limitBytes) {
					cleanup();
					if (stream !== req) req.unpipe(stream as never);
					stream.pause();
					reject(Object.assign(new Error('request entity too large'), { status: 413, statusCode: 413, type: 'entity.too.large' }));
					return;
				}
				chunks.push(chunk);
			};
			const onEnd = () => {
				cleanup();
				req.rawBody = Buffer.concat(chunks);
				resolve();
			};
			const onError = (error: Error) => {
				cleanup();
				reject(error);
			};
			stream.on('data', onData);
			stream.on('end', onEnd);
			stream.on('error', onError);
		});
}

/** res.status(code).json(body) as express does it (an undefined body sends no body). */
function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
	if (res.headersSent) return;
	const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(statusCode, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

export type { IDataObject };
