import { ApiVersion } from '@tandem/contract';

/** The page URL's query parameter that asks the API for a version (`?canary=v2`, `?canary=v1`). */
export const CANARY_QUERY_PARAM = 'canary';

export type CanaryAsk =
  | { kind: 'none' }
  | { kind: 'version'; version: ApiVersion }
  /** A value that names no version: not sent (the API would refuse the version check with a 400). */
  | { kind: 'invalid'; value: string };

/** What `?canary=` in the page URL's query string (`location.search`) asks for. */
export function canaryAskOf(search: string): CanaryAsk {
  const value = new URLSearchParams(search).get(CANARY_QUERY_PARAM);
  if (value === null) return { kind: 'none' };
  const version = ApiVersion.safeParse(value);
  return version.success ? { kind: 'version', version: version.data } : { kind: 'invalid', value };
}
