/** Targets that must be refused without a connection: all are loopback, private or otherwise non-public. */
export function refusedUrls(port: string): string[] {
	return [
		`http://127.0.0.1:${port}/loopback`,
		`http://localhost:${port}/by-name`,
		`http://2130706433:${port}/decimal`,
		`http://0x7f000001:${port}/hex`,
		`http://0177.0.0.1:${port}/octal`,
		`http://127.1:${port}/short`,
		`http://[::ffff:127.0.0.1]:${port}/mapped`,
		`http://0.0.0.0:${port}/any`,
		'http://10.0.0.1/private-a',
		'http://172.16.0.1/private-b',
		'http://192.168.1.1/private-c',
		'http://169.254.169.254/latest/meta-data/',
		'http://100.64.0.1/cgnat',
		'http://[fd00::1]/unique-local',
		'http://[fe80::1]/link-local',
		`ftp://127.0.0.1:${port}/scheme`,
		`http://user:pass@[::1]:${port}/credentials-in-url`,
	];
}
