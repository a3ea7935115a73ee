import { deliveries, type Notifications } from '../../../tools/notifications';

/** The few delivery facts the faults suite reads, in one place: deliveries in flight (outbox) and finished (log). */
export interface DeliveryState {
	deliveryId: string;
	eventId: string;
	endpointName: string;
	status: string;
	error: string | null;
	responseBody: string | null;
	lastAttemptAt: string | null;
	nextAttemptAt: string | null;
}

export async function deliveryStates(n: Notifications): Promise<DeliveryState[]> {
	return (await deliveries(n)).map((row) => ({
		deliveryId: String(row.deliveryId),
		eventId: String(row.eventId),
		endpointName: String(row.endpointName),
		status: String(row.status),
		error: (row.error as string | null) ?? null,
		responseBody: (row.responseBody as string | null) ?? null,
		lastAttemptAt: toIso(row.lastAttemptAt),
		nextAttemptAt: toIso(row.nextAttemptAt),
	}));
}

function toIso(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return new Date(value as string).toISOString();
}
