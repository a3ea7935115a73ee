import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { dispatcher, jobFor } from '../helpers/deliveries';
import { Receiver } from '../helpers/receiver';

/** The core through a real forward proxy (the e2e suite's, in a child process) on loopback. */
describe('delivery through a forward proxy', () => {
	let receiver: Receiver;
	let proxy: ChildProcess;
	let proxyUrl: string;
	const log: Array<{ method: string; target: string }> = [];

	beforeAll(async () => {
		receiver = await new Receiver().start();
		proxy = fork(path.join(__dirname, '..', 'e2e', 'support', 'forwardProxy.mjs'), ['127.0.0.1'], { stdio: 'inherit' });
		const port = await new Promise<number>((resolve) =>
			proxy.on('message', (message: { port?: number; method?: string; target?: string }) => {
				if (message.port) resolve(message.port);
				else log.push({ method: message.method!, target: message.target! });
			}),
		);
		proxyUrl = `http://127.0.0.1:${port}`;
	});
	afterAll(async () => {
		proxy.kill();
		await receiver.stop();
	});
	beforeEach(() => (log.length = 0));

	test("the node's proxy option: sent through the proxy, the receiver gets the same signed request", async () => {
		const result = await dispatcher({ proxy: proxyUrl }).deliver(jobFor(receiver.url('/via')));
		expect(result).toMatchObject({ status: 'sent', responseCode: 200 });
		expect(log).toEqual([{ method: 'POST', target: receiver.url('/via') }]);
		expect(receiver.on('/via')[0].headers.via).toBeDefined();
	});

	test('a host name that resolves to a refused address is refused before the proxy is asked', async () => {
		const url = receiver.url('/private').replace('127.0.0.1', 'localhost');
		const result = await dispatcher({ proxy: proxyUrl, urlPolicy: { blockPrivateAddresses: true, requireHttps: false, allowedHosts: ['127.0.0.2'] } }).deliver(jobFor(url));
		expect(result.status).toBe('failed');
		expect(result.error).toMatch(/Refused to connect to localhost/);
		expect(log).toEqual([]);
		expect(receiver.on('/private')).toHaveLength(0);
	});

	test('a proxy that is down is a network error, retried; the proxy password is in no message', async () => {
		const down = 'http://user:pr0xy-pa55@127.0.0.1:9/';
		const result = await dispatcher({ proxy: down }, { maxAttempts: 2 }).deliver(jobFor(receiver.url('/down')));
		expect(result.status).toBe('retrying');
		expect(result.attempts).toBe(2);
		expect(result.error).toMatch(/ECONNREFUSED/);
		expect(JSON.stringify(result)).not.toContain('pr0xy-pa55');
	});

	test('HTTP_PROXY from the environment, and NO_PROXY to bypass it', async () => {
		process.env.HTTP_PROXY = proxyUrl;
		try {
			expect((await dispatcher().deliver(jobFor(receiver.url('/env')))).status).toBe('sent');
			expect(log).toEqual([{ method: 'POST', target: receiver.url('/env') }]);
			process.env.NO_PROXY = '127.0.0.1';
			expect((await dispatcher().deliver(jobFor(receiver.url('/bypass')))).status).toBe('sent');
			expect(log).toHaveLength(1);
		} finally {
			delete process.env.HTTP_PROXY;
			delete process.env.NO_PROXY;
		}
	});

	test('https through a tunnel still verifies the receiver: a certificate from an unknown CA fails the attempt', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-tls-'));
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'pipe' });
		let received = 0;
		const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
			received++;
			res.end('ok');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/tls`;
			const result = await dispatcher({ proxy: proxyUrl }, { maxAttempts: 1 }).deliver(jobFor(url));
			expect(result.status).toBe('retrying');
			expect(result.error).toMatch(/self[- ]signed|certificate/i);
			expect(received).toBe(0);
			expect(log.map((entry) => entry.method)).toEqual(['CONNECT']);
		} finally {
			server.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
