/** The real-n8n end-to-end harness: see startN8n. */
export { ensureN8nInstalled, N8N_VERSION, PACKAGE_NAME, REPO_ROOT } from './install';
export { packPackage } from './pack';
export { OWNER, startN8n, type N8n, type StartN8nOptions } from './n8n';
export { freePort, waitFor, type N8nProcess } from './process';
export * from './api';
export { installServices, postgresEnv, queueModeEnv, startPostgres, startRedis, type Service } from './services';
