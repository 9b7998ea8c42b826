import { fileURLToPath } from 'node:url';

/** The repository's folders, the same from src/ and dist/. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const apiDir = fileURLToPath(new URL('../../../apps/api/', import.meta.url));
export const webDir = fileURLToPath(new URL('../../../apps/web/', import.meta.url));
export const devCertCli = fileURLToPath(new URL('../../../packages/dev-cert/src/cli.ts', import.meta.url));
/** tsx from the API's own dependencies, run with the source condition. */
export const tsxBin = fileURLToPath(new URL('../../../apps/api/node_modules/.bin/tsx', import.meta.url));
/** The HAProxy configuration docker-compose.yml mounts and startHaproxy() fills in. */
export const haproxyConfigTemplate = fileURLToPath(new URL('../../../deploy/haproxy/haproxy.cfg', import.meta.url));
/** The development certificate startApi() creates (packages/dev-cert's default folder); its key is beside it. */
export const devCertFile = fileURLToPath(new URL('../../../.certs/localhost.crt', import.meta.url));
