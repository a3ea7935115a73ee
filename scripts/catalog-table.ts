import { eventTypesOf, systemLabels, type EventSystem } from '../nodes/shared/event/catalog';

/**
 * The README's event table, generated from the catalog so the two cannot drift. Printed by
 * `node scripts/print-catalog-table.js`; pasted between <!-- catalog:start --> and
 * <!-- catalog:end --> in README.md, where a test checks it is up to date.
 */
export function catalogTable(): string {
	const systems: EventSystem[] = ['billing', 'shipping'];
	return systems
		.map((system) => {
			const definitions = eventTypesOf(system);
			const rows = definitions.map((definition) => {
				const fields = Object.keys(definition.sample).map((key) => `\`${key}\``).join(', ');
				return `| \`${definition.type}\` | ${cell(definition.label)} | ${cell(definition.description)} | ${fields} |`;
			});
			return [
				`**${systemLabels[system]} Event Trigger**: ${definitions.length} event types`,
				'',
				'| Event type | Name | Description | `data` holds |',
				'| --- | --- | --- | --- |',
				...rows,
			].join('\n');
		})
		.join('\n\n');
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
