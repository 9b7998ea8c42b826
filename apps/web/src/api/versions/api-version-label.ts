import type { ActiveApiVersion } from './active-api-version';

/**
 * How the header names the version this tab runs: `API v2 (canary)` while v2 serves part
 * of the clients or was asked for, `API v1 (fallback)` when the version check failed.
 */
export function apiVersionLabel({ module, discovery, loadProblem }: ActiveApiVersion): string {
  const version = `API ${module.apiVersion}`;
  if (loadProblem !== undefined || discovery.source === 'fallback') return `${version} (fallback)`;
  const { reason, v2Share } = discovery.assignment;
  if (reason === 'rolled-back') return `${version} (v2 rolled back)`;
  if (module.apiVersion === 'v2' && (reason === 'header' || v2Share < 100)) return `${version} (canary)`;
  return version;
}
