import type { ApiVersion } from '@tandem/contract';
import type { ApiVersionModule } from './orders-api';

/**
 * One loader per version, each its own `import()`: Vite wraps the expression around an
 * import() in its preload helper, so `version === 'v2' ? import(…) : import(…)` would
 * preload both chunks (e2e/api-versions.spec.ts checks a client fetches only its own).
 */
const loaders: Record<ApiVersion, () => Promise<ApiVersionModule>> = {
  v1: () => import('./v1/index'),
  v2: () => import('./v2/index'),
};

/**
 * The API module of `version`, each a chunk of its own (vite.config.ts names them
 * `api-v1-…js`, `api-v2-…js`): only the one this client uses is downloaded.
 */
export function loadApiVersion(version: ApiVersion): Promise<ApiVersionModule> {
  return loaders[version]();
}
