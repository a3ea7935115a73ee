/** Unit and integration tests run on Node 20 against real loopback servers; e2e tests need the real n8n. */
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
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'] },
		{ ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
	],
};
