import { NodeOperationError, type IDataObject, type INode, type INodeProperties } from 'n8n-workflow';

/**
 * Reads the values of a collection parameter (a node's "Options") with the default and the range
 * each option declares in the description the node shows, so the panel and the check cannot
 * drift apart. n8n checks a number's range only in the editor; an expression or an imported
 * workflow can still bring any value, so an option out of range stops the run with its name.
 */
export function optionReader(node: INode, collection: INodeProperties, values: IDataObject) {
	const parameter = (name: string): INodeProperties => {
		const found = (collection.options ?? []).find((option) => 'name' in option && option.name === name) as INodeProperties | undefined;
		if (!found) throw new Error(`The "${collection.displayName}" collection has no option "${name}"`);
		return found;
	};
	return {
		/** A number option: empty means its default; outside its minValue..maxValue stops the run. */
		number(name: string): number {
			const { default: fallback, displayName, typeOptions } = parameter(name);
			const raw = values[name];
			const value = raw === undefined || raw === '' ? Number(fallback) : Number(raw);
			const min = typeOptions?.minValue ?? Number.NEGATIVE_INFINITY;
			const max = typeOptions?.maxValue ?? Number.POSITIVE_INFINITY;
			if (!Number.isFinite(value) || value < min || value > max) {
				throw new NodeOperationError(node, `Option "${displayName}" must be a number from ${min} to ${max}`);
			}
			return value;
		},
	};
}

/** The collection parameter of a node's properties by name (a programming error if it is missing). */
export function collectionOf(properties: INodeProperties[], name: string): INodeProperties {
	const collection = properties.find((property) => property.name === name && property.type === 'collection');
	if (!collection) throw new Error(`No collection parameter "${name}"`);
	return collection;
}
