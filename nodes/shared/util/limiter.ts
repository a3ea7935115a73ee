/** A counting semaphore with a FIFO queue: bounds concurrency without starving early waiters. */
export class Limiter {
	private active = 0;
	// A queue with a moving head: shift() on a queue of thousands copies it on every release.
	private waiting: Array<() => void> = [];
	private head = 0;

	constructor(private readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		return this.runAcquired(task);
	}

	/** Runs a task in a slot already taken with acquire(), then frees it. */
	async runAcquired<T>(task: () => Promise<T>): Promise<T> {
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		if (this.head < this.waiting.length) {
			const next = this.waiting[this.head++];
			if (this.head === this.waiting.length) {
				this.waiting = [];
				this.head = 0;
			}
			next();
		} else this.active--;
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
