/**
 * unit: pure code, no sockets (test/unit/noSockets.ts refuses them); integration: the nodes and the
 * core against real loopback servers on Node 20; e2e: the package in a real n8n (tools/harness).
 */
const tsJest = ['ts-jest', { tsconfig: { ...require('./tsconfig.json').compilerOptions, allowJs: true, isolatedModules: true } }];
const common = {
	testEnvironment: 'node',
	// svix ships only ES modules: let ts-jest compile it (unmodified) to CommonJS for jest.
	transform: { '^.+\\.ts$': tsJest, '^.+/node_modules/svix/.+\\.m?js$': tsJest },
	transformIgnorePatterns: ['/node_modules/(?!svix/)'],
	moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], setupFiles: ['<rootDir>/test/unit/noSockets.ts'] },
		{ ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{ ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
	],
};
