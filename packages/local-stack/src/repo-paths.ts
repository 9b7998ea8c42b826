import { fileURLToPath } from 'node:url';

/** The repository's folders, the same from src/ and dist/. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const apiDir = fileURLToPath(new URL('../../../apps/api/', import.meta.url));
export const webDir = fileURLToPath(new URL('../../../apps/web/', import.meta.url));
export const devCertCli = fileURLToPath(new URL('../../../packages/dev-cert/src/cli.ts', import.meta.url));
/**
 * Node's arguments that run a TypeScript entry from source, in the folder of a package that
 * depends on tsx: its loader in the server's own process (`--import tsx`), not tsx's CLI. The
 * CLI runs the script in a child and relays SIGINT and SIGTERM to it unless the child reports
 * the signal within 30 ms, so a signal sent to the server's process group could arrive twice on
 * a busy machine, and the API takes a second SIGINT or SIGTERM as "exit now" (decision 0015).
 */
export const typescriptNodeArgs = ['--import', 'tsx', '--conditions=@tandem/source'] as const;
/** tsx from the API's own dependencies, run with the source condition. */
export const tsxBin = fileURLToPath(new URL('../../../apps/api/node_modules/.bin/tsx', import.meta.url));
/** The HAProxy configuration docker-compose.yml mounts and startHaproxy() fills in. */
export const haproxyConfigTemplate = fileURLToPath(new URL('../../../deploy/haproxy/haproxy.cfg', import.meta.url));
/** The development certificate startApi() creates (packages/dev-cert's default folder); its key is beside it. */
export const devCertFile = fileURLToPath(new URL('../../../.certs/localhost.crt', import.meta.url));
