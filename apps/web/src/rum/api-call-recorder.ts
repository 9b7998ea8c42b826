import {
  type ApiCallSample,
  REQUEST_ID_HEADER,
  RUM_API_ROUTES,
  type RumApiRoute,
  type RumPage,
} from '@tandem/contract';
import axios, { type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { apiCallTimingOf, millis } from './api-call-timing';
import type { ResourceTimingFinder } from './resource-timing-finder';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * The contract's path pattern of the endpoint called (`/api/v1/orders/:id`), set by
     * `call()` in src/api/client.ts: the `route` of the call's RUM sample, never the raw
     * URL. A call without it is not recorded.
     */
    rumRoute?: string;
  }
}

/** How long a finished call waits for its Resource Timing entry before it is sent without phases. */
export const RESOURCE_TIMING_WAIT_MS = 1_000;

export interface ApiCallRecorderOptions {
  /** The RUM page on screen now; a call made on a page RUM does not name is not recorded. */
  currentPage: () => RumPage | undefined;
  finder: ResourceTimingFinder;
  record: (sample: ApiCallSample) => void;
  waitMs?: number;
  now?: () => number;
}

interface Started {
  at: number;
  page: RumPage;
}

function isRumApiRoute(route: string | undefined): route is RumApiRoute {
  return (RUM_API_ROUTES as readonly (string | undefined)[]).includes(route);
}

function headerText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Records every call `client` makes with a `rumRoute` as an `api-call` sample: method,
 * route pattern, request id, status (0 when no answer came), page, attempt, joined with
 * the browser's Resource Timing entry of the call for protocol, duration, phases and the
 * API's read-back `Server-Timing`. The app gets its answer at once; the sample follows
 * when the entry is found (or the wait is over, or no answer came: then with no phases and
 * the duration axios saw). Returns the function that ejects the interceptors.
 */
export function recordApiCalls(client: AxiosInstance, options: ApiCallRecorderOptions): () => void {
  const { currentPage, finder, record, waitMs = RESOURCE_TIMING_WAIT_MS, now = () => performance.now() } = options;
  const started = new WeakMap<InternalAxiosRequestConfig, Started>();
  // A response interceptor that retries inside the chain hands a later attempt's answer on: record each config once.
  const recorded = new WeakSet<InternalAxiosRequestConfig>();

  function finish(config: InternalAxiosRequestConfig, response: AxiosResponse | undefined): void {
    const start = started.get(config);
    const route = config.rumRoute;
    if (!start || !isRumApiRoute(route) || recorded.has(config)) return;
    recorded.add(config);
    const endedAt = now();
    // The id the API logged: it echoes the browser's, or says which one it used instead.
    // Without request ids (setRequestShaping) and no echo, neither side tells the other an
    // id: the sample gets one made here, which no server log line carries.
    const requestId =
      headerText(response?.headers[REQUEST_ID_HEADER]) ??
      headerText(config.headers.get(REQUEST_ID_HEADER)) ??
      crypto.randomUUID();
    let url: string;
    try {
      url = new URL(client.getUri(config)).href;
    } catch {
      return;
    }
    const call = {
      type: 'api-call',
      route,
      method: (config.method ?? 'get').toUpperCase() as ApiCallSample['method'],
      status: response?.status ?? 0,
      requestId,
      page: start.page,
      // The retry policy numbers each attempt of a call (src/api/client.ts); 1 when it does not.
      attempt: config.attempt ?? 1,
    } as const;
    const measuredByAxios = { ...call, protocol: 'unknown', durationMs: millis(endedAt - start.at) } as const;
    // A call with no answer has no timing worth reading: the browser's entry of a failed
    // or aborted request, when there is one, has its phases zeroed or cut short.
    if (!response) {
      record(measuredByAxios);
      return;
    }
    void finder.find({ url, startedAt: start.at, endedAt }, waitMs).then((entry) => {
      record(entry ? { ...call, ...apiCallTimingOf(entry) } : measuredByAxios);
    });
  }

  const requestInterceptor = client.interceptors.request.use((config) => {
    const page = currentPage();
    if (page) started.set(config, { at: now(), page });
    return config;
  });
  const responseInterceptor = client.interceptors.response.use(
    (response) => {
      finish(response.config, response);
      return response;
    },
    (error: unknown) => {
      if (axios.isAxiosError(error) && error.config) finish(error.config, error.response);
      return Promise.reject(error);
    },
  );
  return () => {
    client.interceptors.request.eject(requestInterceptor);
    client.interceptors.response.eject(responseInterceptor);
  };
}
