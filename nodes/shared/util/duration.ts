const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "5s, 5m, 30m, 2h" into milliseconds; throws with the offending part. */
export function parseDurationList(text: string): number[] {
	const parts = text.split(/[\s,]+/).filter(Boolean);
	return parts.map((part) => {
		const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/i.exec(part);
		if (!match) throw new Error(`"${part}" is not a duration like 30s, 5m or 2h`);
		const ms = Math.round(Number(match[1]) * units[match[2].toLowerCase()]);
		if (ms > 7 * units.d) throw new Error(`"${part}" is longer than 7 days`);
		return ms;
	});
}
