import { NodeHelpers, NodeOperationError, type INodeTypeDescription, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type NodeExecutionHint } from 'n8n-workflow';

/**
 * A faithful stand-in for n8n's execute context, covering what the package's nodes call:
 * parameters (by item, with defaults and dotted paths as n8n resolves them), credentials (n8n
 * throws when a node has none of that type, and, as n8n does, checks the node type's first
 * credential entry of that type and its displayOptions), input items, continueOnFail and the node itself.
 * Expressions are not evaluated: tests pass already-resolved values, as n8n would hand them over.
 */
export function executeContext(options: {
	items: IDataObject[];
	parameters: Record<string, unknown> | ((itemIndex: number) => Record<string, unknown>);
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	nodeType?: string;
	/** The node type's description: given, credentials are checked against it as n8n checks them. */
	description?: INodeTypeDescription;
}): IExecuteFunctions {
	const node: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: options.nodeType ?? 'n8n-nodes-webhook-notifications.deliverWebhook',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const input: INodeExecutionData[] = options.items.map((json, index) => ({ json, pairedItem: { item: index } }));
	const parametersFor = (itemIndex: number) =>
		typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;

	const hints: NodeExecutionHint[] = [];
	const context = {
		executionHints: hints,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getNode: () => node,
		getInputData: () => input,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			let value: unknown = parametersFor(itemIndex);
			for (const part of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new NodeOperationError(node, `Could not get parameter "${name}"`);
		},
		async getCredentials(type: string) {
			if (options.description) {
				// n8n-core's getCredentials: the first entry of that type, and it must be displayed.
				const entry = options.description.credentials?.find((candidate) => candidate.name === type);
				if (!entry) throw new NodeOperationError(node, `Node type "${node.type}" does not have any credentials of type "${type}" defined`);
				const values = parametersFor(0) as INode['parameters'];
				if (!NodeHelpers.displayParameter(values, entry, node, options.description, values)) {
					throw new NodeOperationError(node, 'Credentials not found');
				}
			}
			const data = options.credentials?.[type];
			if (!data) throw new NodeOperationError(node, 'Node does not have any credentials set');
			return data;
		},
	};
	return context as unknown as IExecuteFunctions;
}

/** The execution hints a node added to a context made by executeContext ("3 of 12 deliveries failed"). */
export function hintsOf(ctx: IExecuteFunctions): string[] {
	return ((ctx as unknown as { executionHints: NodeExecutionHint[] }).executionHints ?? []).map((hint) => hint.message);
}
