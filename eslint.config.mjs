// n8n's own community-node rules, in the variant for packages with runtime dependencies
// (which n8n Cloud does not allow).
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default configWithoutCloudSupport;
