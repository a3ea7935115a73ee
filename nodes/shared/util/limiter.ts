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

	private acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return Promise.resolve();
		}
		return new Promise((resolve) => this.waiting.push(resolve));
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
