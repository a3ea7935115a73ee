import { KeyedLimiter, Limiter } from '../../../nodes/shared/util/limiter';

/** A task that runs until the test finishes it, so the order of events is the test's, not the clock's. */
function gate() {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { open, opened };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
	test('never runs more tasks at once than its limit, and starts waiters first come, first served', async () => {
		const limiter = new Limiter(2);
		const gates = [gate(), gate(), gate(), gate(), gate()];
		const started: number[] = [];
		let running = 0;
		let most = 0;
		const done = gates.map((g, i) =>
			limiter.run(async () => {
				started.push(i);
				most = Math.max(most, ++running);
				await g.opened;
				running--;
				return i;
			}),
		);
		await settle();
		expect(started).toEqual([0, 1]);
		gates[1].open();
		await settle();
		expect(started).toEqual([0, 1, 2]);
		gates[0].open();
		await settle();
		expect(started).toEqual([0, 1, 2, 3]);
		gates.forEach((g) => g.open());
		expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
		expect(started).toEqual([0, 1, 2, 3, 4]);
		expect(most).toBe(2);
	});

	test('a failing task gives its slot back', async () => {
		const limiter = new Limiter(1);
		await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(limiter.run(async () => 'next')).resolves.toBe('next');
	});

	test('runBefore gives up waiting at the deadline and never starts the task; a waiter that left is out of the queue', async () => {
		jest.useFakeTimers({ now: 0 });
		try {
			const limiter = new Limiter(1);
			const holder = gate();
			const held = limiter.run(() => holder.opened);
			const late = jest.fn(async () => 'late');
			const waiting = limiter.runBefore(1_000, late);
			const after = jest.fn(async () => 'after');
			const queued = limiter.run(after);
			await jest.advanceTimersByTimeAsync(1_000);
			await expect(waiting).resolves.toEqual({ ran: false });
			expect(late).not.toHaveBeenCalled();
			holder.open();
			await held;
			await expect(queued).resolves.toBe('after');
		} finally {
			jest.useRealTimers();
		}
	});

	test('runBefore runs the task when a slot is free before the deadline', async () => {
		const limiter = new Limiter(1);
		await expect(limiter.runBefore(Date.now() + 60_000, async () => 7)).resolves.toEqual({ ran: true, value: 7 });
	});

	test.each([0, -1, 1.5, Number.NaN])('a limit of %p is refused', (limit) => {
		expect(() => new Limiter(limit)).toThrow(RangeError);
	});
});

describe('KeyedLimiter', () => {
	test('one limiter per key: a busy endpoint does not hold up another', async () => {
		const limiters = new KeyedLimiter(1);
		expect(limiters.for('a')).toBe(limiters.for('a'));
		const busy = gate();
		const a = limiters.for('a').run(() => busy.opened);
		await expect(limiters.for('b').run(async () => 'b ran')).resolves.toBe('b ran');
		busy.open();
		await a;
	});
});
