import { join } from 'node:path';
import { webDir } from '@tandem/local-stack';

/** An axios request config as the lab's interceptors read it (axios' own types live in apps/web). */
export interface SpaRequestConfig {
  signal?: unknown;
  attempt?: number;
}

/** An axios response as the lab's interceptor reads it. */
export interface SpaResponse {
  status: number;
  data: unknown;
  config: SpaRequestConfig;
}

/**
 * What the lab uses of the SPA's client modules, loaded from apps/web/src at run time: the
 * same `call()` (retry loop, retry policy, retry budget, lab switches) the browser runs.
 * Typed here rather than imported, so the labs' type check does not compile the web app
 * (whose files need Vite's types); apps/web's vue-tsc checks them.
 */
export interface SpaClient {
  call(endpoint: unknown, input?: Record<string, unknown>): Promise<unknown>;
  apiClient: {
    defaults: { baseURL?: string; httpsAgent?: unknown };
    interceptors: {
      request: { use(onRequest: (config: SpaRequestConfig) => SpaRequestConfig): number };
      response: { use(onResponse: (response: SpaResponse) => SpaResponse): number };
    };
  };
  /** What src/labs/follow-lab-state.ts calls with the lab list. */
  applyLabModes(labs: readonly { id: string; mode: string }[]): void;
  retryPolicyInUse(): { name: 'aligned' | 'default' };
  sharedRetryBudget: { refill(): void; readonly tokens: number };
  ALIGNED_RETRY: { maxRetryAfterMs: number; maxAttempts: number };
}

/** Loads src/api/client.ts, src/api/retry-policy.ts and src/labs/lab-modes.ts of the web app. */
export async function loadSpaClient(): Promise<SpaClient> {
  const source = (file: string) => join(webDir, 'src', file);
  const [client, retryPolicy, labModes] = await Promise.all([
    import(source('api/client.ts')),
    import(source('api/retry-policy.ts')),
    import(source('labs/lab-modes.ts')),
  ]);
  return {
    call: client.call,
    apiClient: client.apiClient,
    applyLabModes: labModes.applyLabModes,
    retryPolicyInUse: retryPolicy.retryPolicyInUse,
    sharedRetryBudget: retryPolicy.sharedRetryBudget,
    ALIGNED_RETRY: retryPolicy.ALIGNED_RETRY,
  };
}
