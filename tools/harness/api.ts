import fs from 'node:fs';

/** Shapes of n8n 2.41.1's public API (node_modules/n8n/dist/public-api/v1/openapi.yml), as far as the tests use them. */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'json';
export interface DataTable {
	id: string;
	name: string;
	columns: Array<{ id: string; name: string; type: ColumnType; index: number }>;
	projectId: string;
	createdAt: string;
	updatedAt: string;
	sizeBytes: number;
}
/** System columns id, createdAt, updatedAt, then the user's columns. */
export type DataTableRow = { id: number; createdAt: string; updatedAt: string; [column: string]: unknown };
export type RowCondition = 'eq' | 'neq' | 'like' | 'ilike' | 'gt' | 'gte' | 'lt' | 'lte';
export interface RowFilter {
	type?: 'and' | 'or';
	filters: Array<{ columnName: string; condition: RowCondition; value: unknown }>;
}
export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
	versionId?: string;
	[key: string]: unknown;
}
export type ExecutionStatus = 'canceled' | 'crashed' | 'error' | 'new' | 'running' | 'success' | 'unknown' | 'waiting';
export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: ExecutionStatus;
	startedAt: string | null;
	stoppedAt: string | null;
	workflowId: string;
	/** With includeData: the run, e.g. data.resultData.runData[nodeName][0].data.main[0][i].json. */
	data?: ExecutionData;
	[key: string]: unknown;
}
export interface ExecutionData {
	resultData: {
		runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message: string } }>>;
		lastNodeExecuted?: string;
		error?: { message: string; [key: string]: unknown };
	};
	[key: string]: unknown;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		what: string,
	) {
		super(`${what} -> ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
	}
}

/** The properties POST /workflows accepts (its schema has additionalProperties: false). */
const WORKFLOW_WRITABLE = ['name', 'description', 'nodes', 'connections', 'settings', 'staticData', 'pinData'];

export class PublicApi {
	constructor(
		readonly baseUrl: string,
		readonly apiKey: string,
	) {}

	async request<T = any>(method: string, path: string, { query, body }: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<T> {
		const url = new URL(`/api/v1${path}`, this.baseUrl);
		// encodeURIComponent, not URLSearchParams: n8n refuses a filter with "+" for a space.
		url.search = Object.entries(query ?? {})
			.filter(([, value]) => value !== undefined)
			.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`)
			.join('&');
		const res = await fetch(url, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		const parsed = text ? safeJson(text) : undefined;
		if (!res.ok) throw new ApiError(res.status, parsed, `${method} ${url.pathname}${url.search}`);
		return parsed as T;
	}

	/** Follows nextCursor until the end (or until `max` items). */
	private async all<T>(path: string, query: Record<string, unknown> = {}, max = Infinity): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			const page = await this.request<{ data: T[]; nextCursor?: string | null }>('GET', path, { query: { ...query, limit: 250, cursor } });
			items.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor && items.length < max);
		return items.slice(0, max);
	}

	// Data tables

	listDataTables(filter?: { name?: string }): Promise<DataTable[]> {
		return this.all<DataTable>('/data-tables', { filter });
	}

	/** The table with exactly this name (the API's name filter is a case-insensitive "contains"). */
	async findDataTable(name: string): Promise<DataTable | undefined> {
		return (await this.listDataTables({ name })).find((t) => t.name === name);
	}

	createDataTable(name: string, columns: Array<{ name: string; type: ColumnType }>): Promise<DataTable> {
		return this.request('POST', '/data-tables', { body: { name, columns } });
	}

	async deleteDataTable(id: string): Promise<void> {
		await this.request('DELETE', `/data-tables/${id}`);
	}

	insertRows(tableId: string, rows: Array<Record<string, unknown>>): Promise<DataTableRow[]> {
		return this.request('POST', `/data-tables/${tableId}/rows`, { body: { data: rows, returnType: 'all' } });
	}

	/** All rows, optionally filtered, e.g. { filters: [{ columnName: 'status', condition: 'eq', value: 'failed' }] }. */
	listRows(tableId: string, opts: { filter?: RowFilter; sortBy?: string; search?: string } = {}): Promise<DataTableRow[]> {
		const filter = opts.filter && { type: 'and', ...opts.filter };
		return this.all<DataTableRow>(`/data-tables/${tableId}/rows`, { filter, sortBy: opts.sortBy, search: opts.search });
	}

	// Workflows

	createWorkflow(workflow: Partial<Workflow>): Promise<Workflow> {
		const body: Record<string, unknown> = { settings: {} };
		for (const key of WORKFLOW_WRITABLE) if (workflow[key] !== undefined && workflow[key] !== null) body[key] = workflow[key];
		return this.request('POST', '/workflows', { body });
	}

	/** Creates a workflow from an exported JSON file (or object), keeping only what the API accepts. */
	importWorkflow(fileOrWorkflow: string | Partial<Workflow>): Promise<Workflow> {
		const workflow = typeof fileOrWorkflow === 'string' ? JSON.parse(fs.readFileSync(fileOrWorkflow, 'utf8')) : fileOrWorkflow;
		return this.createWorkflow(workflow);
	}

	getWorkflow(id: string): Promise<Workflow> {
		return this.request('GET', `/workflows/${id}`);
	}

	listWorkflows(): Promise<Workflow[]> {
		return this.all<Workflow>('/workflows');
	}

	/** Activates the latest version ("publish" in n8n 2.x; /activate is its deprecated alias). */
	activateWorkflow(id: string): Promise<Workflow> {
		return this.request('POST', `/workflows/${id}/publish`, { body: {} });
	}

	deactivateWorkflow(id: string): Promise<Workflow> {
		return this.request('POST', `/workflows/${id}/unpublish`);
	}

	async deleteWorkflow(id: string): Promise<void> {
		await this.request('DELETE', `/workflows/${id}`);
	}

	// Executions

	/** Newest first. */
	listExecutions(opts: { workflowId?: string; status?: ExecutionStatus; includeData?: boolean; limit?: number } = {}): Promise<Execution[]> {
		const { limit, includeData, ...query } = opts;
		return this.all<Execution>('/executions', { ...query, includeData: includeData ? 'true' : undefined }, limit);
	}

	getExecution(id: string, includeData = true): Promise<Execution> {
		return this.request('GET', `/executions/${id}`, { query: { includeData: String(includeData) } });
	}

	// Community packages

	listCommunityPackages(): Promise<Array<{ packageName: string; installedVersion: string; installedNodes: Array<{ name: string; type: string; latestVersion: number }> }>> {
		return this.request('GET', '/community-packages');
	}
}

/** The items a node produced in an execution (first run, first output), as plain JSON. */
export function nodeOutput(execution: Execution, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const run = execution.data?.resultData.runData[nodeName]?.[0];
	if (!run) throw new Error(`node "${nodeName}" did not run in execution ${execution.id}`);
	return (run.data?.main[output] ?? []).map((item) => item.json);
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
