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
 * What the lab uses of the SPA, loaded by package name at run time: its product client
 * (`@tandem/web/api-client`, `@tandem/web/retry-policy`: the same `call()`, retry loop,
 * retry policy and retry budget the browser runs) and its lab layer (`@tandem/web/labs`:
 * the lab state applied to the client's seams as a tab applies it). Typed here rather than
 * imported, so the labs' type check does not compile the web app (whose files need Vite's
 * types and a bundler's module resolution); apps/web's vue-tsc checks them.
 */
export interface SpaClient {
  call(endpoint: unknown, input?: Record<string, unknown>): Promise<unknown>;
  apiClient: {
    defaults: { baseURL?: string; httpsAgent?: unknown; headers: { common: Record<string, unknown> } };
    interceptors: {
      request: { use(onRequest: (config: SpaRequestConfig) => SpaRequestConfig): number };
      response: { use(onResponse: (response: SpaResponse) => SpaResponse): number };
    };
  };
  /** What the SPA's lab layer calls with the lab list (apps/web/src/labs/lab-modes.ts → lab-seams.ts). */
  applyLabModes(labs: readonly { id: string; mode: string }[]): void;
  retryPolicyInUse(): { name: 'aligned' | 'default' };
  sharedRetryBudget: { refill(): void; readonly tokens: number };
  ALIGNED_RETRY: { maxRetryAfterMs: number; maxAttempts: number };
}

/** The SPA's modules, by package name: a variable, so TypeScript does not follow them (see SpaClient). */
const SPA = { client: '@tandem/web/api-client', retryPolicy: '@tandem/web/retry-policy', labs: '@tandem/web/labs' };

/** Loads the SPA's client, its retry policy and its lab layer. */
export async function loadSpaClient(): Promise<SpaClient> {
  const [client, retryPolicy, labs] = await Promise.all([
    import(SPA.client),
    import(SPA.retryPolicy),
    import(SPA.labs),
  ]);
  return {
    call: client.call,
    apiClient: client.apiClient,
    applyLabModes: labs.applyLabModes,
    retryPolicyInUse: retryPolicy.retryPolicyInUse,
    sharedRetryBudget: retryPolicy.sharedRetryBudget,
    ALIGNED_RETRY: retryPolicy.ALIGNED_RETRY,
  };
}
