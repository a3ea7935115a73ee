/** A small client for n8n's public REST API (`/api/v1`), as much as setting up the package needs. */
export class N8nApiError extends Error {
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message);
		this.name = 'N8nApiError';
	}
}

export interface DataTable {
	id: string;
	name: string;
	columns?: Array<{ id: string; name: string; type: string }>;
}
export interface Credential {
	id: string;
	name: string;
	type: string;
}
export interface Workflow {
	id: string;
	name: string;
	active?: boolean;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export class N8nApi {
	private readonly base: string;

	constructor(
		baseUrl: string,
		private readonly apiKey: string,
	) {
		this.base = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
	}

	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.base}${path}`, {
			method,
			headers: { 'x-n8n-api-key': this.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) {
			// n8n's error bodies name the problem; they do not echo the API key.
			throw new N8nApiError(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`, response.status);
		}
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Follows n8n's cursor pagination. */
	async list<T>(path: string): Promise<T[]> {
		const all: T[] = [];
		let cursor: string | undefined;
		do {
			const separator = path.includes('?') ? '&' : '?';
			const page = await this.request<{ data: T[]; nextCursor?: string | null }>(
				'GET',
				`${path}${separator}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	dataTables() {
		return this.list<DataTable>('/data-tables');
	}
	createDataTable(name: string, columns: Array<{ name: string; type: string }>) {
		return this.request<DataTable>('POST', '/data-tables', { name, columns });
	}
	columns(tableId: string) {
		return this.request<Array<{ id: string; name: string; type: string }>>('GET', `/data-tables/${tableId}/columns`);
	}
	addColumn(tableId: string, column: { name: string; type: string }) {
		return this.request('POST', `/data-tables/${tableId}/columns`, column);
	}
	credentials() {
		return this.list<Credential>('/credentials');
	}
	createCredential(name: string, type: string, data: Record<string, unknown>) {
		return this.request<Credential>('POST', '/credentials', { name, type, data });
	}
	workflows() {
		return this.list<Workflow>('/workflows');
	}
	createWorkflow(workflow: Omit<Workflow, 'id'>) {
		return this.request<Workflow>('POST', '/workflows', workflow);
	}
	updateWorkflow(id: string, workflow: Omit<Workflow, 'id'>) {
		return this.request<Workflow>('PUT', `/workflows/${id}`, workflow);
	}
	activateWorkflow(id: string) {
		return this.request<Workflow>('POST', `/workflows/${id}/activate`);
	}
	deactivateWorkflow(id: string) {
		return this.request<Workflow>('POST', `/workflows/${id}/deactivate`);
	}
}
