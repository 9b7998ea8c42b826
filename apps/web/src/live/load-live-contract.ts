import { whenApiVersionActive } from '../api/versions/active-api-version';
import type { LiveContract } from './live-contract';

let loading: Promise<LiveContract> | undefined;

/**
 * Resolves when the live channels may open: once the tab's API version is active (the
 * version check is the session's first call: active-api-version.ts), with what they read
 * from the contract (live-contract.ts). That comes with the chunks main.ts loads for the
 * version check, so neither the app's first paint nor a page's first render waits for it.
 */
export function loadLiveContract(): Promise<LiveContract> {
  loading ??= whenApiVersionActive()
    .then(() => import('./live-contract'))
    .then(({ liveContract }) => liveContract);
  return loading;
}
