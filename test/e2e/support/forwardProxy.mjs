// A real forward proxy (TooTallNate's `proxy`, the one the axios and undici tests use) in a child
// process on loopback: forwards http requests and opens CONNECT tunnels. Every request it gets is
// reported to the parent over IPC, so a test can show which targets were (and were not) asked for.
// Usage: fork('forwardProxy.mjs', [host]); first message { port }, then { method, target } per request.
import http from 'node:http';
import { createProxy } from 'proxy';

const host = process.argv[2] ?? '127.0.0.1';
const server = http.createServer();
server.on('request', (req) => process.send({ method: req.method, target: req.url }));
server.on('connect', (req) => process.send({ method: 'CONNECT', target: req.url }));
createProxy(server);
server.listen(0, host, () => process.send({ port: server.address().port }));
process.on('message', (message) => {
	if (message === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
