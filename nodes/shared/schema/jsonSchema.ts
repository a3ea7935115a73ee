/**
 * A JSON Schema subset for the custom event types people add to the catalog. Written here rather
 * than taken from a library because the schemas come from a data table anyone with access can edit,
 * and every way such a schema can hurt the trigger is closed before it is used:
 *
 * - size: at most 64 KB of text, 32 levels deep, 2,000 subschemas;
 * - `$ref` only to the schema's own `#/$defs/...` or `#/definitions/...`: nothing is ever fetched;
 * - recursion: at most 64 nested `$ref`s, and a step budget per validated value;
 * - `pattern`: at most 200 characters, no backreferences or nested quantifiers (the patterns that
 *   can backtrack for ever), and only tested against strings of at most 10,000 characters;
 * - a keyword this subset does not know is refused with its name, so a schema is never silently
 *   checked less than its author meant. Annotations (title, description, examples, ...) are ignored.
 */

export const SCHEMA_LIMITS = {
	maxChars: 64 * 1024,
	maxDepth: 32,
	maxSubschemas: 2000,
	maxRefDepth: 64,
	maxSteps: 100_000,
	maxPatternChars: 200,
	maxPatternInput: 10_000,
	maxIssues: 50,
};

export interface SchemaIssue {
	path: Array<string | number>;
	message: string;
}

type Schema = boolean | SchemaObject;
interface SchemaObject {
	[keyword: string]: unknown;
}
export interface CompiledSchema {
	root: Schema;
	patterns: Map<string, RegExp>;
}

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);
const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'not']);
const COUNTS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']);
const NUMBERS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);
const OTHERS = new Set(['type', 'required', 'enum', 'const', 'pattern', 'format', '$ref', 'uniqueItems']);
const FORMATS: Record<string, (value: string) => boolean> = {
	date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
	'date-time': (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
	email: (value) => /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(value),
	uri: (value) => /^[a-z][a-z0-9+.-]*:\S*$/i.test(value),
	uuid: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
};
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

export class SchemaError extends Error {}

const notJson = Symbol('not JSON');
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return notJson;
	}
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Reads a schema (JSON text or a parsed value) and checks it against the limits; throws SchemaError naming the problem. */
export function compileJsonSchema(input: unknown): CompiledSchema {
	let root = input;
	if (typeof input === 'string') {
		if (input.length > SCHEMA_LIMITS.maxChars) throw new SchemaError(`the schema is longer than ${SCHEMA_LIMITS.maxChars} characters`);
		root = parseJson(input);
		if (root === notJson) throw new SchemaError('the schema is not valid JSON');
	} else if (JSON.stringify(input ?? null).length > SCHEMA_LIMITS.maxChars) {
		throw new SchemaError(`the schema is longer than ${SCHEMA_LIMITS.maxChars} characters`);
	}
	if (typeof root !== 'boolean' && !isObject(root)) throw new SchemaError('the schema must be a JSON object');
	const compiled: CompiledSchema = { root: root as Schema, patterns: new Map() };
	let count = 0;
	const visit = (schema: unknown, at: string, depth: number): void => {
		if (++count > SCHEMA_LIMITS.maxSubschemas) throw new SchemaError(`the schema has more than ${SCHEMA_LIMITS.maxSubschemas} subschemas`);
		if (depth > SCHEMA_LIMITS.maxDepth) throw new SchemaError(`the schema is nested more than ${SCHEMA_LIMITS.maxDepth} levels deep`);
		if (typeof schema === 'boolean') return;
		if (!isObject(schema)) throw new SchemaError(`${at} must be a schema (an object or true/false)`);
		for (const [keyword, value] of Object.entries(schema)) checkKeyword(compiled, keyword, value, `${at}/${keyword}`, (child, where) => visit(child, where, depth + 1));
	};
	visit(root, '#', 0);
	return compiled;
}

function checkKeyword(compiled: CompiledSchema, keyword: string, value: unknown, at: string, visit: (schema: unknown, at: string) => void): void {
	const fail = (message: string): never => {
		throw new SchemaError(`${at} ${message}`);
	};
	if (forbiddenKeys.has(keyword)) fail('is not allowed');
	if (ANNOTATIONS.has(keyword)) return;
	if (SCHEMA_MAPS.has(keyword)) {
		if (!isObject(value)) fail('must be an object of schemas');
		for (const [name, child] of Object.entries(value as object)) {
			if (forbiddenKeys.has(name)) fail(`names "${name}", which is not allowed`);
			visit(child, `${at}/${name}`);
		}
	} else if (SCHEMA_LISTS.has(keyword)) {
		if (!Array.isArray(value) || value.length === 0 || value.length > 50) fail('must be a list of 1 to 50 schemas');
		(value as unknown[]).forEach((child, index) => visit(child, `${at}/${index}`));
	} else if (SUBSCHEMAS.has(keyword)) {
		if (keyword === 'items' && Array.isArray(value)) fail('as a list (tuple validation) is not supported; give one schema');
		visit(value, at);
	} else if (COUNTS.has(keyword)) {
		if (!Number.isSafeInteger(value) || (value as number) < 0) fail('must be a whole number from 0');
	} else if (NUMBERS.has(keyword)) {
		if (typeof value !== 'number' || !Number.isFinite(value) || (keyword === 'multipleOf' && value <= 0)) fail('must be a number');
	} else if (keyword === 'type') {
		const types = Array.isArray(value) ? value : [value];
		if (types.length === 0 || !types.every((type) => (TYPES as readonly unknown[]).includes(type))) fail(`must be one of ${TYPES.join(', ')} (or a list of them)`);
	} else if (keyword === 'required') {
		if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) fail('must be a list of property names');
	} else if (keyword === 'enum') {
		if (!Array.isArray(value) || value.length === 0 || value.length > 1000) fail('must be a list of 1 to 1,000 values');
	} else if (keyword === 'pattern') {
		compiled.patterns.set(value as string, safePattern(value, fail));
	} else if (keyword === 'format') {
		if (typeof value !== 'string' || !FORMATS[value]) fail(`must be one of ${Object.keys(FORMATS).join(', ')}`);
	} else if (keyword === '$ref') {
		resolveRef(compiled.root, value, fail);
	} else if (keyword === 'uniqueItems') {
		if (typeof value !== 'boolean') fail('must be true or false');
	} else if (!OTHERS.has(keyword)) {
		fail('is not a keyword this catalog supports (see the README: Open catalog)');
	}
}

function safePattern(value: unknown, fail: (message: string) => never): RegExp {
	if (typeof value !== 'string' || value.length > SCHEMA_LIMITS.maxPatternChars) fail(`must be a regular expression of at most ${SCHEMA_LIMITS.maxPatternChars} characters`);
	const source = value as string;
	// Backreferences, lookarounds and a quantified group holding a quantifier are what make a pattern backtrack exponentially.
	if (/\\[1-9]|\\k<|\(\?<?[=!]/.test(source)) fail('may not use backreferences or lookarounds');
	if (/\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)\s*(?:[*+?]|\{\d)/.test(source)) fail('may not repeat a group that itself repeats (e.g. (a+)+)');
	try {
		return new RegExp(source, 'u');
	} catch {
		return fail('is not a valid regular expression');
	}
}

/** Only the schema's own definitions: "#", "#/$defs/name", "#/definitions/name" (one level). */
function resolveRef(root: Schema, ref: unknown, fail: (message: string) => never): Schema {
	if (typeof ref !== 'string') return fail('must be text');
	if (ref === '#') return root;
	const match = /^#\/(\$defs|definitions)\/([^/~%]{1,100})$/.exec(ref);
	if (!match) return fail(`"${ref.slice(0, 80)}" is not followed: only references to this schema's own #/$defs/<name> are (nothing is fetched)`);
	const defs = isObject(root) ? root[match[1]] : undefined;
	const target = isObject(defs) && Object.prototype.hasOwnProperty.call(defs, match[2]) ? defs[match[2]] : undefined;
	if (target === undefined) return fail(`"${ref}" points to no definition of this schema`);
	return target as Schema;
}

const typeOf = (value: unknown): string =>
	value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;

function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const keysA = Object.keys(a as object);
	const keysB = Object.keys(b as object);
	return keysA.length === keysB.length && keysA.every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

const describe = (value: unknown) => JSON.stringify(value)?.slice(0, 60) ?? String(value);

/** The issues of a value against a compiled schema, at most SCHEMA_LIMITS.maxIssues. */
export function validateJsonSchema(compiled: CompiledSchema, data: unknown): SchemaIssue[] {
	const issues: SchemaIssue[] = [];
	let steps = 0;
	let refDepth = 0;
	// Over budget, every further check returns at once: the walk ends quickly, with one issue saying why.
	let exceeded = false;
	const check = (schema: Schema, value: unknown, path: Array<string | number>, out: SchemaIssue[]): void => {
		if (exceeded || ++steps > SCHEMA_LIMITS.maxSteps) {
			exceeded = true;
			return;
		}
		if (schema === true) return;
		if (schema === false) {
			out.push({ path, message: 'is not allowed here' });
			return;
		}
		const add = (message: string) => out.push({ path, message });
		const type = typeOf(value);
		if (schema.$ref !== undefined) {
			if (refDepth >= SCHEMA_LIMITS.maxRefDepth) {
				exceeded = true;
				return;
			}
			refDepth++;
			// Compilation checked every reference, so this one resolves.
			check(resolveRef(compiled.root, schema.$ref, (message) => { throw new SchemaError(message); }), value, path, out);
			refDepth--;
		}
		if (schema.type !== undefined) {
			const allowed = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
			if (!allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))) {
				add(`must be ${allowed.join(' or ')}, not ${type}`);
				return;
			}
		}
		if (schema.enum !== undefined && !(schema.enum as unknown[]).some((option) => sameJson(option, value))) add(`must be one of ${describe(schema.enum)}`);
		if (schema.const !== undefined && !sameJson(schema.const, value)) add(`must be ${describe(schema.const)}`);
		if (typeof value === 'string') checkString(compiled, schema, value, add);
		if (typeof value === 'number') checkNumber(schema, value, add);
		if (Array.isArray(value)) {
			if (typeof schema.minItems === 'number' && value.length < schema.minItems) add(`must have at least ${schema.minItems} items`);
			if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) add(`must have at most ${schema.maxItems} items`);
			if (schema.uniqueItems === true && value.some((item, index) => value.slice(0, index).some((other) => sameJson(other, item)))) add('must not repeat an item');
			if (schema.items !== undefined) value.forEach((item, index) => check(schema.items as Schema, item, [...path, index], out));
		}
		if (isObject(value)) {
			const properties = (isObject(schema.properties) ? schema.properties : {}) as Record<string, Schema>;
			for (const name of (schema.required as string[] | undefined) ?? []) {
				if (!Object.prototype.hasOwnProperty.call(value, name)) out.push({ path: [...path, name], message: 'is required' });
			}
			const count = Object.keys(value).length;
			if (typeof schema.minProperties === 'number' && count < schema.minProperties) add(`must have at least ${schema.minProperties} properties`);
			if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) add(`must have at most ${schema.maxProperties} properties`);
			for (const [name, child] of Object.entries(value)) {
				if (Object.prototype.hasOwnProperty.call(properties, name)) check(properties[name], child, [...path, name], out);
				else if (schema.additionalProperties !== undefined) check(schema.additionalProperties as Schema, child, [...path, name], out);
			}
		}
		for (const part of (schema.allOf as Schema[] | undefined) ?? []) check(part, value, path, out);
		const passes = (part: Schema) => {
			const scratch: SchemaIssue[] = [];
			check(part, value, path, scratch);
			return scratch.length === 0;
		};
		if (schema.anyOf !== undefined && !(schema.anyOf as Schema[]).some(passes)) add('matches none of the allowed shapes (anyOf)');
		if (schema.oneOf !== undefined && (schema.oneOf as Schema[]).filter(passes).length !== 1) add('must match exactly one of the allowed shapes (oneOf)');
		if (schema.not !== undefined && passes(schema.not as Schema)) add('matches a shape that is not allowed (not)');
	};
	check(compiled.root, data, [], issues);
	if (exceeded) return [{ path: [], message: 'the schema takes too many steps to check this event (too much nesting or recursion)' }];
	return issues.slice(0, SCHEMA_LIMITS.maxIssues);
}

function checkString(compiled: CompiledSchema, schema: SchemaObject, value: string, add: (message: string) => void): void {
	const length = [...value].length;
	if (typeof schema.minLength === 'number' && length < schema.minLength) add(`must be at least ${schema.minLength} characters`);
	if (typeof schema.maxLength === 'number' && length > schema.maxLength) add(`must be at most ${schema.maxLength} characters`);
	if (typeof schema.pattern === 'string') {
		const pattern = compiled.patterns.get(schema.pattern);
		if (value.length > SCHEMA_LIMITS.maxPatternInput) add(`is longer than ${SCHEMA_LIMITS.maxPatternInput} characters, too long to match a pattern`);
		else if (pattern && !pattern.test(value)) add(`must match the pattern ${schema.pattern}`);
	}
	if (typeof schema.format === 'string' && FORMATS[schema.format] && !FORMATS[schema.format](value)) add(`must be a ${schema.format}`);
}

function checkNumber(schema: SchemaObject, value: number, add: (message: string) => void): void {
	if (typeof schema.minimum === 'number' && value < schema.minimum) add(`must be at least ${schema.minimum}`);
	if (typeof schema.maximum === 'number' && value > schema.maximum) add(`must be at most ${schema.maximum}`);
	if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) add(`must be more than ${schema.exclusiveMinimum}`);
	if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) add(`must be less than ${schema.exclusiveMaximum}`);
	if (typeof schema.multipleOf === 'number' && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) add(`must be a multiple of ${schema.multipleOf}`);
}
