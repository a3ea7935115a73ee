import { attemptDeadline } from '../../../nodes/DeliverWebhook/continueDeliveries';

describe('the end of a claim', () => {
	const now = 1_000_000;
	it('leaves 30 s for recording the outcome on a long claim (the default 105 s one ends attempts at 75 s)', () => {
		expect(attemptDeadline(now + 105_000, now)).toBe(now + 75_000);
		expect(attemptDeadline(now + 120_000, now)).toBe(now + 90_000);
	});

	it('leaves a third of a short claim', () => {
		expect(attemptDeadline(now + 9_000, now)).toBe(now + 6_000);
	});

	it('leaves nothing to start once the claim has run out', () => {
		expect(attemptDeadline(now - 5_000, now)).toBe(now - 5_000);
	});
});
