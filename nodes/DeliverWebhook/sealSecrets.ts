import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	checkSigning,
	openAuth,
	openSigning,
	parseAuthSecrets,
	ROTATION_OVERLAP_HOURS,
	rotateSigning,
	sealAuth,
	sealSigning,
	secretsHint,
	type EndpointAuthSecrets,
	type EndpointSigning,
} from '../shared/auth/endpointSecrets';
import { isSealed, type SealingKeys } from '../shared/security/sealing';
import { readSealingKeys } from './settings';

/**
 * Seal Endpoint Secrets: for each endpoint row (with its id and URL), seal what a person entered
 * (write-only), and make or rotate its own signing secret when asked. Output per row: the sealed
 * columns and the hint to show, plus `newSigningSecret` once when one was made (to hand to the
 * partner), and `warning` when kept secrets no longer open for the row's host.
 */
export async function sealSecrets(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const keys = await readSealingKeys(ctx);
	if (!keys) throw new NodeOperationError(ctx.getNode(), 'Sealing needs the Webhook Endpoint Secrets Key credential', { description: 'The setup command creates it' });
	return items.map((item, itemIndex) => {
		try {
			return { json: sealRow(ctx, item.json, keys, itemIndex), pairedItem: { item: itemIndex } };
		} catch (error) {
			// Messages name the field or the problem, never a value.
			const message = (error as Error).message;
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
			const id = Number(item.json.id);
			return { json: { ...(Number.isSafeInteger(id) && id > 0 ? { id } : {}), error: message }, pairedItem: { item: itemIndex } };
		}
	});
}

function sealRow(ctx: IExecuteFunctions, row: IDataObject, keys: SealingKeys, itemIndex: number): IDataObject {
	const id = Number(row.id);
	if (!Number.isSafeInteger(id) || id < 1) throw new Error(`Item ${itemIndex} is not an endpoint row with its id`);
	const url = typeof row.url === 'string' ? row.url : '';
	const action = ctx.getNodeParameter('signingSecretAction', itemIndex, 'keep') as string;
	if (!['keep', 'create', 'rotate'].includes(action)) throw new Error('Signing Secret must be keep, create or rotate');
	const rotate = action === 'rotate';
	const overlapHours = Number(ctx.getNodeParameter('rotationOverlap', itemIndex, ROTATION_OVERLAP_HOURS));
	if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > 720) throw new Error('Keep Previous Secret For must be 0 to 720 hours');

	let signing: EndpointSigning | undefined = isSealed(row.signingSecret) ? openSigning(row.signingSecret, keys, id) : undefined;
	let newSigningSecret: string | undefined;
	// An endpoint without one keeps signing with the node's secret (its receiver verifies with that)
	// until it is given its own: when created, or on request.
	if ((!signing && action === 'create') || rotate) {
		signing = checkSigning(rotateSigning(signing, overlapHours));
		newSigningSecret = signing.current;
	}

	const given = readNewSecrets(ctx, itemIndex);
	let auth: EndpointAuthSecrets | undefined;
	let sealedAuth = typeof row.secrets === 'string' ? row.secrets : '';
	let warning: string | undefined;
	if (given !== undefined) {
		auth = parseAuthSecrets(given);
		sealedAuth = Object.keys(auth).length > 0 ? sealAuth(auth, keys, id, url) : '';
	} else if (isSealed(sealedAuth)) {
		try {
			auth = openAuth(sealedAuth, keys, id, url);
		} catch {
			warning = "The endpoint's secrets (secret header, headers, OAuth2 client) were entered for another host: they are not sent to this one. Enter them again.";
		}
	}
	return {
		id,
		signingSecret: signing ? sealSigning(signing, keys, id) : '',
		secrets: sealedAuth,
		secretsHint: JSON.stringify({ ...secretsHint(signing, auth), ...(warning ? { stale: true } : {}) }),
		...(newSigningSecret ? { newSigningSecret } : {}),
		...(warning ? { warning } : {}),
	};
}

/** The secrets entered for the row: an object replaces them all ({} removes them); empty keeps them. */
function readNewSecrets(ctx: IExecuteFunctions, itemIndex: number): unknown {
	const value = ctx.getNodeParameter('newSecrets', itemIndex, '') as unknown;
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	const parsed = parseJson(value);
	if (parsed === invalidJson) throw new NodeOperationError(ctx.getNode(), 'New Secrets is not valid JSON', { itemIndex });
	return parsed;
}

const invalidJson = Symbol('invalid JSON');
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return invalidJson;
	}
}
