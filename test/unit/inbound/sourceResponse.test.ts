import { sourceResponse } from '../../../nodes/shared/inbound/response';
import { RespondToEventSource } from '../../../nodes/RespondToEventSource/RespondToEventSource.node';
import { executeContext } from '../../helpers/executeContext';

describe('Respond to Event Source: the answer to the source', () => {
	it('a JSON answer with a status and headers', () => {
		expect(sourceResponse({ statusCode: 503, body: '{"message":"full"}', headers: [{ name: 'Retry-After', value: '60' }] })).toEqual({
			statusCode: 503,
			headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '60' },
			body: { message: 'full' },
		});
		expect(sourceResponse({ statusCode: '202', body: { accepted: ['evt_1'] }, headers: [] })).toMatchObject({ statusCode: 202, body: { accepted: ['evt_1'] } });
	});

	it.each([
		[{ statusCode: 99, body: {}, headers: [] }, 'Response Code must be a whole number from 100 to 599'],
		[{ statusCode: 600, body: {}, headers: [] }, 'Response Code must be a whole number from 100 to 599'],
		[{ statusCode: 20.5, body: {}, headers: [] }, 'Response Code must be a whole number from 100 to 599'],
		[{ statusCode: 'abc', body: {}, headers: [] }, 'Response Code must be a whole number from 100 to 599'],
		[{ statusCode: 202, body: '{not json', headers: [] }, 'Response Body is not valid JSON'],
		[{ statusCode: 202, body: undefined, headers: [] }, 'Response Body must be JSON'],
		[{ statusCode: 202, body: {}, headers: [{ name: 'bad header', value: 'x' }] }, 'Response Headers: "bad header" is not a valid header name'],
		[{ statusCode: 202, body: {}, headers: [{ name: '', value: 'x' }] }, 'Response Headers: "" is not a valid header name'],
		[{ statusCode: 202, body: {}, headers: [{ name: 'Content-Length', value: '1' }] }, 'Response Headers: "content-length" is set by n8n and cannot be set here'],
		[{ statusCode: 202, body: {}, headers: [{ name: 'x-a', value: 'one\r\nset-cookie: evil=1' }] }, 'Response Headers: the value of "x-a" has a line break or NUL'],
	])('refuses %j', (input, error) => {
		expect(sourceResponse(input as never)).toEqual({ error });
	});

	it('the node answers once through the execution and passes its items on; a bad setting names itself and answers nothing', async () => {
		const node = new RespondToEventSource();
		const sent: unknown[] = [];
		const ctx = executeContext({ items: [{ a: 1 }, { a: 2 }], parameters: { responseCode: 202, responseBody: { received: 2 }, responseHeaders: {} }, nodeType: 'n8n-nodes-webhook-notifications.respondToEventSource' });
		Object.assign(ctx, { sendResponse: (response: unknown) => sent.push(response) });
		const [output] = await node.execute.call(ctx);
		expect(output.map((item) => item.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(sent).toEqual([{ statusCode: 202, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { received: 2 } }]);

		const bad = executeContext({ items: [{}], parameters: { responseCode: 202, responseBody: '{', responseHeaders: {} } });
		Object.assign(bad, { sendResponse: (response: unknown) => sent.push(response) });
		await expect(node.execute.call(bad)).rejects.toThrow('Response Body is not valid JSON');
		expect(sent).toHaveLength(1);
	});
});
