/**
 * A custom event type as a user adds it: one row of the webhook_event_types table. Shared by the
 * unit tests and the end-to-end suite, so both exercise the same documented example.
 */
export const invoiceOverdueSchema = {
	type: 'object',
	required: ['invoice'],
	properties: {
		invoice: {
			type: 'object',
			required: ['id', 'dueDate', 'balance', 'currencyIsoCode'],
			properties: {
				id: { type: 'string', minLength: 1 },
				dueDate: { type: 'string', format: 'date' },
				daysOverdue: { type: 'integer', minimum: 1 },
				balance: { type: 'number', exclusiveMinimum: 0 },
				currencyIsoCode: { type: 'string', pattern: '^[A-Z]{3}$' },
			},
		},
	},
};

export const invoiceOverdueSample = {
	invoice: { id: 'a0F4W00000XkT2bUAF', dueDate: '2024-12-01', daysOverdue: 14, balance: 250, currencyIsoCode: 'USD' },
};

export const invoiceOverdueRow = {
	eventType: 'invoice.overdue',
	system: 'billing',
	description: 'An invoice is past its due date and still has a balance.',
	sample: JSON.stringify(invoiceOverdueSample),
	schema: JSON.stringify(invoiceOverdueSchema),
};
