/** A counting semaphore with a FIFO queue: bounds concurrency without starving early waiters. */
export class Limiter {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	/**
	 * Like run(), but gives up waiting for a slot at `deadline` (epoch ms): the task is then not
	 * started and the result is `{ ran: false }`. A task that got its slot runs to its end.
	 */
	async runBefore<T>(deadline: number, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
		if (!(await this.acquire(deadline))) return { ran: false };
		try {
			return { ran: true, value: await task() };
		} finally {
			this.release();
		}
	}

	private acquire(deadline?: number): Promise<boolean> {
		if (this.active < this.limit) {
			this.active++;
			return Promise.resolve(true);
		}
		return new Promise((resolve) => {
			let timer: NodeJS.Timeout | undefined;
			const grant = () => {
				if (timer) clearTimeout(timer);
				resolve(true);
			};
			this.waiting.push(grant);
			if (deadline !== undefined) {
				// The slot passes straight from release() to the waiter, so a waiter that left must be out of the queue.
				timer = setTimeout(() => {
					const index = this.waiting.indexOf(grant);
					if (index === -1) return;
					this.waiting.splice(index, 1);
					resolve(false);
				}, Math.max(0, deadline - Date.now()));
			}
		});
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}
}

/** One limiter per key (per endpoint), created on first use. */
export class KeyedLimiter {
	private readonly limiters = new Map<string, Limiter>();

	constructor(private readonly limitPerKey: number) {}

	for(key: string): Limiter {
		let limiter = this.limiters.get(key);
		if (!limiter) {
			limiter = new Limiter(this.limitPerKey);
			this.limiters.set(key, limiter);
		}
		return limiter;
	}
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
