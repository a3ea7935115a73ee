import { z } from 'zod';

import { eventTypePattern } from './envelope';
import { parseJsonSafely } from '../util/json';
import { compileJsonSchema, SchemaError, SCHEMA_LIMITS, validateJsonSchema } from '../schema/jsonSchema';
import { eventSystems, type EventData, type EventSystem, type EventTypeDefinition } from './types';

/*
 * Custom event types: the ones an organisation adds without forking the package, one row each in
 * the `webhook_event_types` data table (columns below). The rows are read by whoever needs them
 * (the triggers through n8n's API, the workflows with a Data Table node) and turned into
 * definitions here, the same shape as the built-in ones. A row that is wrong is reported with its
 * reason and left out; it never hides or replaces a built-in type.
 */

/** One row of the `webhook_event_types` table. */
export interface CustomEventTypeRow {
	/** The event type, e.g. "invoice.overdue". */
	eventType: string;
	/** "billing" or "shipping": which trigger accepts it. */
	system: string;
	description?: string;
	/** The `data` of a sample event, as JSON. */
	sample: string;
	/** A JSON Schema for the `data`, as JSON; empty accepts any object. */
	schema?: string;
}

export interface CustomCatalog {
	definitions: EventTypeDefinition[];
	/** Rows left out, with the reason: what the activity page and the check operation show. */
	problems: Array<{ row: number; eventType?: string; error: string }>;
}

export const MAX_CUSTOM_EVENT_TYPES = 500;
const MAX_DESCRIPTION = 2000;

export const emptyCustomCatalog: CustomCatalog = Object.freeze({ definitions: [], problems: [] }) as CustomCatalog;

/** "invoice.payment_overdue" -> "Invoice Payment Overdue" */
export function labelOf(type: string): string {
	return type
		.split(/[._]/)
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/**
 * Reads the rows (as the table or n8n's API gives them: extra columns such as id and createdAt are
 * ignored). `isBuiltIn` keeps built-in names out: a custom row cannot redefine one.
 */
export function customEventTypesFrom(rows: unknown, isBuiltIn: (type: string) => boolean): CustomCatalog {
	const catalog: CustomCatalog = { definitions: [], problems: [] };
	if (rows === undefined || rows === null || rows === '') return catalog;
	const list = Array.isArray(rows) ? rows : [rows];
	const seen = new Set<string>();
	list.forEach((input, index) => {
		const row = index + 1;
		if (index >= MAX_CUSTOM_EVENT_TYPES) {
			if (index === MAX_CUSTOM_EVENT_TYPES) catalog.problems.push({ row, error: `only the first ${MAX_CUSTOM_EVENT_TYPES} custom event types are read` });
			return;
		}
		// An empty object is what n8n's "Always Output Data" gives for an empty table.
		if (input !== null && typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length === 0) return;
		try {
			const definition = customDefinition(input, isBuiltIn);
			if (seen.has(definition.type)) throw new SchemaError(`"${definition.type}" is listed twice; the first row counts`);
			seen.add(definition.type);
			catalog.definitions.push(definition);
		} catch (error) {
			const type = (input as { eventType?: unknown } | null)?.eventType;
			catalog.problems.push({
				row,
				...(typeof type === 'string' && type.length <= 128 ? { eventType: type } : {}),
				error: error instanceof SchemaError ? error.message : 'the row cannot be read',
			});
		}
	});
	return catalog;
}

function customDefinition(input: unknown, isBuiltIn: (type: string) => boolean): EventTypeDefinition {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new SchemaError('a row must be an object');
	const row = input as Record<string, unknown>;
	const type = typeof row.eventType === 'string' ? row.eventType.trim() : '';
	if (!type) throw new SchemaError('eventType is required');
	if (type.length > 128 || !eventTypePattern.test(type)) throw new SchemaError(`eventType "${type.slice(0, 60)}" must look like "invoice.overdue" (lower case, a dot between parts)`);
	if (isBuiltIn(type)) throw new SchemaError(`"${type}" is a built-in event type; a custom row cannot redefine it`);
	const system = typeof row.system === 'string' ? row.system.trim().toLowerCase() : '';
	if (!(eventSystems as readonly string[]).includes(system)) throw new SchemaError(`system must be ${eventSystems.map((name) => `"${name}"`).join(' or ')}`);
	const description = row.description === undefined || row.description === null ? '' : row.description;
	if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) throw new SchemaError(`description must be text of at most ${MAX_DESCRIPTION} characters`);

	let compiled: ReturnType<typeof compileJsonSchema> | undefined;
	const schemaText = row.schema;
	if (schemaText !== undefined && schemaText !== null && !(typeof schemaText === 'string' && schemaText.trim() === '')) {
		const result = compileOrProblem(schemaText);
		if (typeof result === 'string') throw new SchemaError(`schema: ${result}`);
		compiled = result;
	}
	const sample = readSample(row.sample);
	const schema = z.record(z.unknown()).superRefine((data, ctx) => {
		if (!compiled) return;
		for (const issue of validateJsonSchema(compiled, data)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path, message: issue.message });
	}) as unknown as z.ZodType<EventData, z.ZodTypeDef, unknown>;
	const sampleIssues = compiled ? validateJsonSchema(compiled, sample) : [];
	if (sampleIssues.length > 0) {
		const first = sampleIssues[0];
		throw new SchemaError(`sample does not match the schema: ${['data', ...first.path].join('.')} ${first.message}`);
	}
	return { type, label: labelOf(type), description: description.trim(), system: system as EventSystem, schema, sample };
}

function compileOrProblem(schema: unknown): ReturnType<typeof compileJsonSchema> | string {
	try {
		return compileJsonSchema(schema);
	} catch (error) {
		return error instanceof SchemaError ? error.message : 'cannot be read';
	}
}

function readSample(value: unknown): EventData {
	if (value === undefined || value === null || value === '') throw new SchemaError('sample is required: the data of one example event, as JSON');
	// Objects (a node parameter) go through the same reading as text (a table cell): depth and key checks.
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	if (text.length > SCHEMA_LIMITS.maxChars) throw new SchemaError(`sample is longer than ${SCHEMA_LIMITS.maxChars} characters`);
	const read = parseJsonSafely(text);
	if (!read.ok) throw new SchemaError(`sample: ${read.message.replace(/^The body/, 'the sample')}`);
	const parsed = read.value;
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SchemaError('sample must be a JSON object (the event\'s data)');
	return parsed as EventData;
}
