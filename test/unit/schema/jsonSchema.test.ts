import { compileJsonSchema, SchemaError, SCHEMA_LIMITS, validateJsonSchema } from '../../../nodes/shared/schema/jsonSchema';
import { invoiceOverdueSample, invoiceOverdueSchema } from '../../helpers/customEventTypes';

const issuesOf = (schema: unknown, data: unknown) => validateJsonSchema(compileJsonSchema(schema), data).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
const refusal = (schema: unknown): string => {
	try {
		compileJsonSchema(schema);
	} catch (error) {
		expect(error).toBeInstanceOf(SchemaError);
		return (error as Error).message;
	}
	throw new Error('the schema was accepted');
};

describe('JSON Schema subset: what it checks', () => {
	test('a matching value has no issues, as text or as an object', () => {
		expect(issuesOf(invoiceOverdueSchema, invoiceOverdueSample)).toEqual([]);
		expect(issuesOf(JSON.stringify(invoiceOverdueSchema), invoiceOverdueSample)).toEqual([]);
	});

	test('each keyword names the path and the problem', () => {
		const data = { invoice: { id: '', dueDate: '2024-13-45', daysOverdue: 1.5, balance: 0, currencyIsoCode: 'usd' } };
		expect(issuesOf(invoiceOverdueSchema, data)).toEqual([
			'invoice.id: must be at least 1 characters',
			'invoice.dueDate: must be a date',
			'invoice.daysOverdue: must be integer, not number',
			'invoice.balance: must be more than 0',
			'invoice.currencyIsoCode: must match the pattern ^[A-Z]{3}$',
		]);
		expect(issuesOf(invoiceOverdueSchema, { invoice: {} })).toEqual([
			'invoice.id: is required',
			'invoice.dueDate: is required',
			'invoice.balance: is required',
			'invoice.currencyIsoCode: is required',
		]);
	});

	test('enum, const, arrays, additionalProperties, anyOf/oneOf/not and local $ref', () => {
		const schema = {
			$defs: { line: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } }, additionalProperties: false } },
			type: 'object',
			properties: {
				status: { enum: ['open', 'closed'] },
				version: { const: 2 },
				lines: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: '#/$defs/line' } },
				ref: { anyOf: [{ type: 'string' }, { type: 'null' }] },
				one: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
				never: { not: { type: 'string' } },
			},
		};
		expect(issuesOf(schema, { status: 'open', version: 2, lines: [{ sku: 'a' }], ref: null, one: 1.5, never: 1 })).toEqual([]);
		expect(issuesOf(schema, { status: 'x', version: 3, lines: [{ sku: 1, extra: true }, { sku: 1, extra: true }], ref: 5, one: 2, never: 'a' })).toEqual([
			'status: must be one of ["open","closed"]',
			'version: must be 2',
			'lines: must not repeat an item',
			'lines.0.sku: must be string, not integer',
			'lines.0.extra: is not allowed here',
			'lines.1.sku: must be string, not integer',
			'lines.1.extra: is not allowed here',
			'ref: matches none of the allowed shapes (anyOf)',
			'one: must match exactly one of the allowed shapes (oneOf)',
			'never: matches a shape that is not allowed (not)',
		]);
	});

	test('a recursive schema checks a tree as deep as the data goes', () => {
		const tree = { $defs: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } }, name: { type: 'string' } } } }, $ref: '#/$defs/node' };
		expect(issuesOf(tree, { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] })).toEqual(['children.0.children.0.name: must be string, not integer']);
	});
});

describe('JSON Schema subset: wrong and hostile schemas', () => {
	test.each([
		['not JSON', '{"type": ', /not valid JSON/],
		['not an object', '[1,2]', /must be a JSON object/],
		['an unknown keyword (never silently checked less)', { type: 'object', propertyNames: { maxLength: 3 } }, /propertyNames is not a keyword this catalog supports/],
		['a wrong type name', { type: 'text' }, /type must be one of object, array/],
		['a negative length', { maxLength: -1 }, /maxLength must be a whole number/],
		['an unknown format', { format: 'credit-card' }, /format must be one of date/],
		['tuple items', { items: [{ type: 'string' }] }, /tuple validation/],
		['an invalid pattern', { pattern: '(' }, /not a valid regular expression/],
		['a catastrophic pattern (a+)+', { pattern: '^(a+)+$' }, /may not repeat a group that itself repeats/],
		['a catastrophic pattern (\\w*)*', { pattern: '(\\w*)*x' }, /may not repeat a group/],
		['a backreference', { pattern: '(a)\\1' }, /backreferences/],
		['a very long pattern', { pattern: 'a'.repeat(SCHEMA_LIMITS.maxPatternChars + 1) }, /at most 200 characters/],
		['a __proto__ keyword', '{"__proto__": {"type": "string"}}', /__proto__ is not allowed/],
		['a property named constructor', { properties: { constructor: { type: 'string' } } }, /names "constructor"/],
	])('%s is refused with its reason', (_name, schema, reason) => {
		expect(refusal(schema)).toMatch(reason);
	});

	test('$ref to a remote URL, a file or another document is refused and nothing is fetched', () => {
		const fetched: string[] = [];
		const realFetch = global.fetch;
		global.fetch = (async (url: string) => {
			fetched.push(String(url));
			return new Response('{}');
		}) as typeof fetch;
		try {
			for (const ref of ['https://evil.example/schema.json', 'http://127.0.0.1:1/x', 'file:///etc/passwd', 'other.json#/a', '#/properties/a', '#/$defs/missing']) {
				expect(refusal({ $ref: ref, properties: { a: {} } })).toMatch(/is not followed|points to no definition/);
			}
		} finally {
			global.fetch = realFetch;
		}
		expect(fetched).toEqual([]);
	});

	test('a huge schema is refused before it is read further', () => {
		const big = JSON.stringify({ description: 'x'.repeat(SCHEMA_LIMITS.maxChars) });
		expect(refusal(big)).toMatch(/longer than 65536 characters/);
		expect(refusal({ description: 'x'.repeat(SCHEMA_LIMITS.maxChars) })).toMatch(/longer than/);
		const many = { properties: Object.fromEntries(Array.from({ length: SCHEMA_LIMITS.maxSubschemas + 1 }, (_, i) => [`p${i}`, true])) };
		expect(refusal(many)).toMatch(/more than 2000 subschemas/);
	});

	test('a deeply nested schema is refused without exhausting the stack', () => {
		const deep = `${'{"items":'.repeat(5000)}{}${'}'.repeat(5000)}`;
		expect(refusal(deep)).toMatch(/nested more than 32 levels/);
		let nested: unknown = { type: 'string' };
		for (let i = 0; i < 40; i++) nested = { items: nested };
		expect(refusal(nested)).toMatch(/nested more than 32 levels/);
	});

	test('$ref cycles that consume no data end with one issue instead of running for ever', () => {
		const loop = { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' };
		expect(issuesOf(loop, {})).toEqual([': the schema takes too many steps to check this event (too much nesting or recursion)']);
		expect(issuesOf({ $ref: '#' }, { any: 'thing' })).toEqual([': the schema takes too many steps to check this event (too much nesting or recursion)']);
	});

	test('combinatorial anyOf nesting stops at the step budget', () => {
		const wide = { type: 'array', items: { anyOf: Array.from({ length: 40 }, () => ({ allOf: Array.from({ length: 40 }, () => ({ type: 'number' })) })) } };
		expect(issuesOf(wide, Array.from({ length: 1000 }, () => 'no'))).toEqual([': the schema takes too many steps to check this event (too much nesting or recursion)']);
	});

	test('a pattern is not run on an overlong string', () => {
		expect(issuesOf({ pattern: '^a*$' }, 'a'.repeat(SCHEMA_LIMITS.maxPatternInput + 1))).toEqual([': is longer than 10000 characters, too long to match a pattern']);
	});
});
