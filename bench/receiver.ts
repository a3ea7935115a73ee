/**
 * The bench's receiver, in a process of its own so that its CPU is not the client's: plain
 * node:http servers on 127.0.0.1, one port per endpoint, answering 200 "ok". It counts requests
 * and, when asked, records when each event id arrived. Driven by messages from its parent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? 10);
let received = 0;
const arrivals = new Map<string, number>();
let recordArrivals = false;

const servers = Array.from({ length: count }, () =>
	http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received++;
			if (recordArrivals) {
				const match = /"id":"([^"]+)"/.exec(Buffer.concat(chunks).toString('utf8'));
				if (match && !arrivals.has(match[1])) arrivals.set(match[1], Date.now());
			}
			res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }).end('ok');
		});
	}),
);
servers.forEach((server) => (server.keepAliveTimeout = 60_000));

Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)))).then(() => {
	process.send!({ ports: servers.map((server) => (server.address() as AddressInfo).port) });
});

process.on('message', (message: { op: string }) => {
	if (message.op === 'count') process.send!({ received });
	if (message.op === 'reset') {
		received = 0;
		arrivals.clear();
		process.send!({ ok: true });
	}
	if (message.op === 'record') {
		recordArrivals = true;
		process.send!({ ok: true });
	}
	if (message.op === 'arrivals') process.send!({ arrivals: Object.fromEntries(arrivals) });
	if (message.op === 'stop') servers.forEach((server) => server.close(() => process.exit(0)));
});
