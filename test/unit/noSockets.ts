/**
 * The unit project's setup: unit tests run in milliseconds on pure code, so any socket is a test
 * in the wrong project. Connecting, listening or sending a datagram throws, and the test fails.
 */
import dgram from 'node:dgram';
import net from 'node:net';

const refuse = (what: string) =>
	function refused(): never {
		throw new Error(`Unit tests open no sockets (${what}); move this test to test/integration`);
	};

net.Socket.prototype.connect = refuse('net.Socket.connect') as typeof net.Socket.prototype.connect;
net.Server.prototype.listen = refuse('net.Server.listen') as typeof net.Server.prototype.listen;
dgram.Socket.prototype.send = refuse('dgram.Socket.send') as typeof dgram.Socket.prototype.send;
dgram.Socket.prototype.bind = refuse('dgram.Socket.bind') as typeof dgram.Socket.prototype.bind;
