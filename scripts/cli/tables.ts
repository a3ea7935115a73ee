/**
 * The data tables the starter workflows keep their state in. One definition, used by the setup
 * command; a test checks that the Setup workflow creates the same columns.
 */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date';
export interface TableDefinition {
	name: string;
	columns: Array<{ name: string; type: ColumnType }>;
}

export const tables: TableDefinition[] = [
	{
		name: 'webhook_endpoints',
		columns: [
			{ name: 'name', type: 'string' },
			{ name: 'url', type: 'string' },
			{ name: 'eventTypes', type: 'string' },
			{ name: 'channels', type: 'string' },
			{ name: 'active', type: 'boolean' },
			{ name: 'authentication', type: 'string' },
			{ name: 'description', type: 'string' },
			{ name: 'disabledReason', type: 'string' },
			{ name: 'disabledAt', type: 'date' },
		],
	},
	{
		name: 'webhook_deliveries',
		columns: [
			{ name: 'deliveryId', type: 'string' },
			{ name: 'eventId', type: 'string' },
			{ name: 'eventType', type: 'string' },
			{ name: 'resourceId', type: 'string' },
			{ name: 'channels', type: 'string' },
			{ name: 'endpointName', type: 'string' },
			{ name: 'endpointUrl', type: 'string' },
			{ name: 'endpointAuthentication', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'responseCode', type: 'number' },
			{ name: 'responseBody', type: 'string' },
			{ name: 'error', type: 'string' },
			{ name: 'attempts', type: 'number' },
			{ name: 'retryRound', type: 'number' },
			{ name: 'firstAttemptAt', type: 'date' },
			{ name: 'lastAttemptAt', type: 'date' },
			{ name: 'nextAttemptAt', type: 'date' },
			{ name: 'durationMs', type: 'number' },
			{ name: 'endpointGone', type: 'boolean' },
			{ name: 'payload', type: 'string' },
			// Bumped by each claim of the retry schedule: a claim only succeeds on the version it read.
			{ name: 'version', type: 'number' },
		],
	},
	{
		name: 'webhook_attempts',
		columns: [
			{ name: 'deliveryId', type: 'string' },
			{ name: 'attempt', type: 'number' },
			{ name: 'attemptedAt', type: 'date' },
			{ name: 'responseCode', type: 'number' },
			{ name: 'durationMs', type: 'number' },
			{ name: 'error', type: 'string' },
			{ name: 'trigger', type: 'string' },
		],
	},
];
