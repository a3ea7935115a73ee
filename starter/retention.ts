import { TABLE } from '../nodes/shared/storage/tables';
import { callWorkflow, code, condition, dataTable, into, isTrue, link, node, OPERATIONAL_EVENTS_WORKFLOW, settingsNode, sticky, tableSizes, to, where, type StarterWorkflow } from './build';
import { STORAGE_USAGE } from './activityCode';

/** n8n's default for N8N_DATA_TABLES_MAX_SIZE_BYTES; setup writes the instance's own value when it is given. */
export const DEFAULT_DATA_TABLE_LIMIT = 200 * 1024 * 1024;

/** The tunables of Retention, in its Settings node (setup may override each by name). */
export const RETENTION_SETTINGS = {
	/** Finished deliveries and events older than this many days are removed. */
	days: 30,
	/** The space all data tables may use together (N8N_DATA_TABLES_MAX_SIZE_BYTES). */
	limitBytes: DEFAULT_DATA_TABLE_LIMIT,
	/** Above this share of the limit, the oldest finished rows are removed, whatever their age. */
	trimAbovePercent: 70,
	/** Above this share, a storage.warning operational event is sent (every run while above). */
	warnAbovePercent: 80,
	/** At most this many rows of each table are removed per run (deleted rows pass through n8n's memory). */
	rowsPerRun: 5000,
};

const settings = "$('Settings').first().json";
const usage = "$('Usage').first().json";

/**
 * Every 5 minutes: space first, then age. Reads the size of every data table (n8n's limit is for all
 * of them together), removes the oldest finished deliveries and events when above the trim share or
 * older than the retention, and warns operators well before n8n refuses writes.
 *
 * Rows are reached by id ranges from the oldest: never an in-flight delivery (those live in the
 * outbox, which retention does not touch) and never an event an open delivery still needs.
 */
export function retention(): StarterWorkflow {
	const cutoff = `{{ ${usage}.trim ? $now.plus(1, 'day').toISO() : $now.minus(${settings}.days, 'days').toISO() }}`;
	const oldest = (name: string, tableName: string, column: string, position: [number, number]) =>
		dataTable(
			name,
			position,
			{ operation: 'get', dataTableId: { __rl: true, mode: 'name', value: tableName }, matchType: 'allConditions', filters: { conditions: [] }, limit: 1, orderBy: true, orderByColumn: column, orderByDirection: 'ASC' },
			{ alwaysOutputData: true, executeOnce: true },
		);
	const announce = callWorkflow('Operational Events', [2640, -100], OPERATIONAL_EVENTS_WORKFLOW);
	return {
		name: 'Webhook Notifications: Retention',
		nodes: [
			...retentionNotes(),
			node('Every 5 Minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], { rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } }),
			settingsNode([240, 0], RETENTION_SETTINGS),
			tableSizes('Table Sizes', [480, 0]),
			code('Usage', [720, 0], `${STORAGE_USAGE}\nreturn [{ json: storageUsage($input.first().json.data, ${settings}) }];`),
			oldest('Oldest Delivery', TABLE.deliveries, 'id', [960, 0]),
			oldest('Oldest Event', TABLE.events, 'id', [1200, 0]),
			oldest('Oldest Open Event', TABLE.outbox, 'eventRow', [1440, 0]),
			dataTable(
				'Trim Deliveries',
				[1680, 0],
				{
					operation: 'deleteRows',
					...where(
						TABLE.deliveries,
						condition('id', 'lt', `={{ ($('Oldest Delivery').first().json.id || 0) + ${settings}.rowsPerRun }}`),
						condition('createdAt', 'lt', `=${cutoff}`),
					),
					options: {},
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			dataTable(
				'Trim Events',
				[1920, 0],
				{
					operation: 'deleteRows',
					...where(
						TABLE.events,
						condition(
							'id',
							'lt',
							`={{ Math.min(($('Oldest Event').first().json.id || 0) + ${settings}.rowsPerRun, $('Oldest Open Event').first().json.eventRow || Number.MAX_SAFE_INTEGER) }}`,
						),
						condition('createdAt', 'lt', `=${cutoff}`),
					),
					options: {},
				},
				{ alwaysOutputData: true, executeOnce: true },
			),
			node('Space Low?', 'n8n-nodes-base.if', 2.2, [2160, 0], { conditions: isTrue(`${usage}.warn === true`), options: {} }, { executeOnce: true }),
			node('storage.warning Event', 'n8n-nodes-base.set', 3.4, [2400, -100], {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({
  id: 'evt_' + $execution.id + '_storage',
  type: 'storage.warning',
  timestamp: $now.toISO(),
  data: ${usage}
}) }}`,
				options: {},
			}),
			...announce.nodes,
		],
		connections: {
			'Every 5 Minutes': to('Settings'),
			Settings: to('Table Sizes'),
			'Table Sizes': to('Usage'),
			Usage: to('Oldest Delivery'),
			'Oldest Delivery': to('Oldest Event'),
			'Oldest Event': to('Oldest Open Event'),
			'Oldest Open Event': to('Trim Deliveries'),
			'Trim Deliveries': to('Trim Events'),
			'Trim Events': to('Space Low?'),
			'Space Low?': { main: [[link('storage.warning Event')], []] },
			'storage.warning Event': { main: [into('Operational Events')] },
			...announce.connections,
		},
		settings: { executionOrder: 'v1' },
	};
}

function retentionNotes() {
	return [
		sticky(
			'About This Workflow',
			[-40, -560],
			[900, 400],
			`## Retention
Every 5 minutes: reads how much space the data tables use (n8n's public API), removes the oldest **finished** deliveries and events when the space is above **trimAbovePercent** or they are older than **days**, and sends a \`storage.warning\` event to **Operational events** above **warnAbovePercent**. n8n refuses every data-table write once the space is full, so keep this workflow published.

**You may change:** the numbers in **Settings**; \`limitBytes\` must match the instance's \`N8N_DATA_TABLES_MAX_SIZE_BYTES\` (200 MB by default).
**Table Sizes** calls \`http://localhost:5678/api/v1\`: change the URL when your n8n is elsewhere (the setup command does it for you). Without the **Webhook Notifications n8n API** credential the space is unknown and only the age rule applies.`,
		),
		sticky(
			'Do Not Touch',
			[900, -560],
			[560, 240],
			`### Do not change
The id ranges of **Trim Deliveries** and **Trim Events**: they never reach an in-flight delivery (those live in the outbox, which retention does not touch) nor an event an open delivery still needs.`,
			3,
		),
	];
}
