import { parseDurationList } from '../../../nodes/shared/util/duration';

/** Durations as the Durable Retry Schedule option takes them. */
describe('parseDurationList', () => {
	test.each([
		['5s, 5m, 30m, 2h', [5_000, 300_000, 1_800_000, 7_200_000]],
		['250ms 1.5s', [250, 1_500]],
		['1d,  2H ,3M', [86_400_000, 7_200_000, 180_000]],
		['7d', [604_800_000]],
		['0s', [0]],
		['', []],
		[' , ', []],
	])('%j -> %j', (text, expected) => {
		expect(parseDurationList(text)).toEqual(expected);
	});

	test.each([
		['5 minutes', '"5" is not a duration'],
		['5', '"5" is not a duration'],
		['-5s', '"-5s" is not a duration'],
		['5w', '"5w" is not a duration'],
		['1e3s', '"1e3s" is not a duration'],
		['s', '"s" is not a duration'],
		['8d', '"8d" is longer than 7 days'],
		['168.1h', '"168.1h" is longer than 7 days'],
	])('%j is refused: %s', (text, message) => {
		expect(() => parseDurationList(text)).toThrow(message);
	});
});
