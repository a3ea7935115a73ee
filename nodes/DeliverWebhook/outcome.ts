import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

export type FailedDeliveries = 'main' | 'secondOutput' | 'error';

/** The outputs the node shows for its parameters (n8n evaluates this on the canvas and at run time). */
export const OUTPUTS_EXPRESSION = `={{ (($parameter.options || {}).failedDeliveries === 'secondOutput' && ['deliver', 'continue'].includes($parameter.operation)) ? [{ type: 'main', displayName: 'Sent' }, { type: 'main', displayName: 'Failed' }] : [{ type: 'main' }] }}`;

/** Not sent in this run: failed, retrying (left for the durable schedule), or an item that could not be read. */
const notSent = (json: IDataObject) => json.status === 'failed' || json.status === 'retrying' || (json.status === undefined && typeof json.error === 'string');

/**
 * The output of a sending operation, routed by the Failed Deliveries option, with execution hints that
 * count what was not sent ("3 of 12 deliveries failed"). Items that say `finished` (Continue
 * Deliveries' rows still in the outbox) count as retrying.
 */
export function routeDeliveries(ctx: IExecuteFunctions, items: INodeExecutionData[], operation: 'deliver' | 'continue'): INodeExecutionData[][] {
	const mode = ((ctx.getNodeParameter('options', 0, {}) as IDataObject).failedDeliveries ?? 'main') as FailedDeliveries;
	const deliveries = items.filter((item) => item.json.status !== 'skipped');
	const failed = deliveries.filter((item) => item.json.status === 'failed' || (item.json.status === undefined && typeof item.json.error === 'string')).length;
	const retrying = deliveries.filter((item) => item.json.status === 'retrying').length;
	const total = deliveries.length;
	const hints: string[] = [];
	if (failed > 0) hints.push(`${failed} of ${total} ${total === 1 ? 'delivery' : 'deliveries'} failed`);
	if (retrying > 0) hints.push(`${retrying} of ${total} ${total === 1 ? 'delivery is' : 'deliveries are'} left for the durable retry schedule`);
	if (operation === 'deliver' && ctx.getInputData().length > 0 && total === 0) hints.push('No endpoint is subscribed to these events (or every endpoint is inactive)');
	if (hints.length > 0) ctx.addExecutionHints(...hints.map((message) => ({ message, location: 'outputPane' as const })));

	if (mode === 'error' && failed + retrying > 0) {
		const first = deliveries.find((item) => notSent(item.json));
		throw new NodeOperationError(ctx.getNode(), `${failed + retrying} of ${total} deliveries were not sent`, {
			description: `First: ${String(first?.json.endpointName ?? first?.json.endpointUrl ?? '')} ${String(first?.json.error ?? '')}`.trim(),
			itemIndex: typeof first?.pairedItem === 'object' && first.pairedItem !== null && 'item' in first.pairedItem ? first.pairedItem.item : undefined,
		});
	}
	if (mode === 'secondOutput') return [items.filter((item) => !notSent(item.json)), items.filter((item) => notSent(item.json))];
	return [items];
}
