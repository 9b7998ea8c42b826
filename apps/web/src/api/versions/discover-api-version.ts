import { type ApiVersion, CANARY_HEADER, coreEndpoints, type VersionAssignment } from '@tandem/contract';
import { ApiError } from '../api-error';
import { call } from '../client';
import { type CanaryAsk, canaryAskOf } from './canary-query-param';

/** How long the data views wait for the version check before they start on v1. */
export const VERSION_CHECK_WAIT_MS = 3_000;

/** The version this tab uses, and where that came from. */
export type VersionDiscovery =
  | { source: 'api'; version: ApiVersion; assignment: VersionAssignment; canary: CanaryAsk }
  /** The version check failed: the tab runs v1, which every API serves, and says why. */
  | { source: 'fallback'; version: 'v1'; problem: string; canary: CanaryAsk };

/**
 * Asks the API which version this client uses (`GET /api/version`), once, before any other
 * call of the tab (active-api-version.ts). Sent with credentials, as every call is, so the sticky bucket cookie
 * travels; `?canary=v2|v1` in the page URL becomes the `x-api-canary` header. Never
 * throws: any failure is v1 with the reason.
 */
export async function discoverApiVersion(search: string, waitMs = VERSION_CHECK_WAIT_MS): Promise<VersionDiscovery> {
  const canary = canaryAskOf(search);
  try {
    const assignment = await call(coreEndpoints.getVersion, {
      headers: canary.kind === 'version' ? { [CANARY_HEADER]: canary.version } : undefined,
      signal: AbortSignal.timeout(waitMs),
    });
    return { source: 'api', version: assignment.version, assignment, canary };
  } catch (error) {
    return { source: 'fallback', version: 'v1', problem: problemOf(error, waitMs), canary };
  }
}

function problemOf(error: unknown, waitMs: number): string {
  if (error instanceof ApiError) {
    if (error.name === 'CANCELLED') return `the version check did not answer within ${waitMs / 1000} s`;
    return `the version check failed (${error.name}${error.status ? `, ${error.status}` : ''}: ${error.message})`;
  }
  return `the version check failed (${String(error)})`;
}
