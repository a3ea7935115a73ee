import type { INode, INodeProperties } from 'n8n-workflow';

import { DeliverWebhook } from '../../../nodes/DeliverWebhook/DeliverWebhook.node';
import { BillingEventTrigger } from '../../../nodes/BillingEventTrigger/BillingEventTrigger.node';
import { defaultRetryPolicy } from '../../../nodes/shared/delivery/retryPolicy';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS } from '../../../nodes/shared/inbound/receive';
import { collectionOf, optionReader } from '../../../nodes/shared/n8n/options';
import { parseDurationList } from '../../../nodes/shared/util/duration';

const node = { name: 'Deliver Webhook' } as INode;
const options = collectionOf(new DeliverWebhook().description.properties, 'options');
const triggerOptions = collectionOf(new BillingEventTrigger().description.properties, 'triggerOptions');
const numberOptions = (collection: INodeProperties) => (collection.options as INodeProperties[]).filter((option) => option.type === 'number');

describe('one option reader, with the default and range the panel shows', () => {
	test('an option left out or empty is the default the parameter declares', () => {
		const { number } = optionReader(node, options, { maxAttempts: '' });
		expect(number('maxAttempts')).toBe(3);
		expect(number('timeout')).toBe(15_000);
		expect(optionReader(node, triggerOptions, {}).number('maxBodySizeMb')).toBe(5);
	});

	test('a value inside the range is read as a number', () => {
		expect(optionReader(node, options, { timeBudget: '120' }).number('timeBudget')).toBe(120);
		expect(optionReader(node, triggerOptions, { maxEvents: 10_000 }).number('maxEvents')).toBe(10_000);
	});

	test.each([
		[{ maxAttempts: 0 }, 'maxAttempts', 'Option "Max Attempts per Run" must be a number from 1 to 10'],
		[{ maxAttempts: 11 }, 'maxAttempts', 'Option "Max Attempts per Run" must be a number from 1 to 10'],
		[{ timeout: 'soon' }, 'timeout', 'Option "Timeout (Ms)" must be a number from 100 to 300000'],
		[{ responseBodyLimit: Number.POSITIVE_INFINITY }, 'responseBodyLimit', 'Option "Response Body Kept (Bytes)" must be a number from 0 to 65536'],
	])('%j is refused with the name the panel shows', (values, name, message) => {
		expect(() => optionReader(node, options, values).number(name)).toThrow(message);
	});

	test('the trigger options are read the same way', () => {
		expect(() => optionReader(node, triggerOptions, { maxBodySizeMb: 17 }).number('maxBodySizeMb')).toThrow(
			'Option "Max Body Size (MB)" must be a number from 0.01 to 16',
		);
	});

	test('every number option of the nodes declares a default inside its range', () => {
		for (const option of [...numberOptions(options), ...numberOptions(triggerOptions)]) {
			const { minValue, maxValue } = option.typeOptions ?? {};
			expect([option.name, typeof minValue, typeof maxValue]).toEqual([option.name, 'number', 'number']);
			expect(optionReader(node, collectionOwning(option), {}).number(option.name)).toBe(option.default);
		}
	});

	test('asking for an option the collection does not have is a programming error', () => {
		expect(() => optionReader(node, options, {}).number('nope')).toThrow('has no option "nope"');
	});
});

function collectionOwning(option: INodeProperties): INodeProperties {
	return (options.options as INodeProperties[]).includes(option) ? options : triggerOptions;
}

describe("the Deliver node's defaults are the core's", () => {
	// n8n's lint wants literal defaults in a description, so the core's policy (used when the core
	// runs without the node: tests, bench) is pinned to the same values here.
	const option = (name: string) => (options.options as INodeProperties[]).find((candidate) => candidate.name === name)!.default;
	test('retry policy', () => {
		expect(option('maxAttempts')).toBe(defaultRetryPolicy.maxAttempts);
		expect(option('timeBudget')).toBe(defaultRetryPolicy.timeBudgetMs / 1000);
		expect(option('retryAfterCap')).toBe(defaultRetryPolicy.retryAfterCapMs / 1000);
		expect(option('retryAfterScheduleCap')).toBe(defaultRetryPolicy.retryAfterScheduleCapMs / 3_600_000);
		expect(parseDurationList(option('durableSchedule') as string)).toEqual(defaultRetryPolicy.durableScheduleMs);
		expect(String(option('finalStatusCodes'))).toBe(defaultRetryPolicy.finalStatusCodes.join(', '));
	});

	test('trigger limits', () => {
		expect(optionReader(node, triggerOptions, {}).number('maxBodySizeMb') * 1024 * 1024).toBe(DEFAULT_MAX_BODY_BYTES);
		expect(optionReader(node, triggerOptions, {}).number('maxEvents')).toBe(DEFAULT_MAX_EVENTS);
	});
});
