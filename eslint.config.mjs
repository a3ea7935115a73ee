// n8n's own community-node rules, in the variant for packages with runtime dependencies
// (which n8n Cloud does not allow).
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{
		// The plugin (0.32) keeps this rule on even in its no-cloud variant. This package needs axios,
		// simple-oauth2 and zod at run time by design; zod is pinned to the version n8n-workflow uses.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
];
