import {
  DEADLINES,
  type Endpoint,
  ErrorEnvelope,
  IDEMPOTENCY_KEY_HEADER,
  pathOf,
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
  type ValidationIssue,
} from '@tandem/contract';
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { watch } from 'vue';
import type { z } from 'zod';
import { ApiError } from './api-error';
import { apiOrigin } from './api-origin';
import { keepsRequestSimple, requestShaping } from './request-shaping';
import { responseDecoderInUse } from './response-decoder';
import { retryAfterMsOf } from './retry-after';
import { retryPolicyInUse, sharedRetryBudget } from './retry-policy';
import { type Attempt, runWithRetries } from './run-with-retries';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** The 1-based attempt of the call this request is (2 = its first retry); set by `call()`. */
    attempt?: number;
  }
  interface InternalAxiosRequestConfig {
    /** The 1-based attempt of the call this request is (2 = its first retry); set by `call()`. */
    attempt?: number;
  }
}

/**
 * The one axios instance of the app. What may change while the app runs is set through
 * the seams beside it, never by reaching into this instance: the origin (api-origin.ts),
 * the custom headers a call carries (request-shaping.ts), how answers are decoded
 * (response-decoder.ts) and how failures are retried (retry-policy.ts).
 */
export const apiClient = axios.create({
  baseURL: apiOrigin.value,
  // A call's deadline (all its attempts together; 0: none). `call()` gives each attempt what
  // is left of it as its axios timeout and its `X-Request-Timeout` header.
  timeout: DEADLINES.clientTimeoutMs,
  headers: { Accept: 'application/json' },
  // Every HTTP status is an answer to check against the contract, not an exception.
  validateStatus: () => true,
  // A timeout is ETIMEDOUT, so it is never mistaken for an aborted request (ECONNABORTED).
  transitional: { clarifyTimeoutError: true },
  // The session cookie (`__Host-tandem_session`, the API origin's) goes with every call: the
  // API is another origin of the same site, and its CORS answers the allowlist with
  // `Access-Control-Allow-Credentials: true`.
  withCredentials: true,
});

/**
 * Gives each call an id the API logs and echoes, so browser and server timings join up. A
 * call kept simple (request-shaping.ts) sends none: the API makes one and echoes it, and
 * the client and RUM read the id from the answer.
 */
export function attachRequestId(request: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  if (keepsRequestSimple(request.method)) return request;
  if (!request.headers.has(REQUEST_ID_HEADER)) request.headers.set(REQUEST_ID_HEADER, crypto.randomUUID());
  return request;
}
export const requestIdInterceptor = apiClient.interceptors.request.use((request) =>
  // Without request ids (setRequestShaping({ requestIds: false })) no id is sent and the
  // API echoes none: RUM's record gets an id of its own (src/rum/api-call-recorder.ts).
  requestShaping.requestIds ? attachRequestId(request) : request,
);

// setApiOrigin moves the instance: the next request goes to the new origin.
watch(
  apiOrigin,
  (origin) => {
    apiClient.defaults.baseURL = origin;
  },
  { flush: 'sync' },
);

type PartInput<Key extends string, Schema> = Schema extends z.ZodType
  ? object extends z.input<Schema>
    ? { [K in Key]?: z.input<Schema> }
    : { [K in Key]: z.input<Schema> }
  : { [K in Key]?: never };

/**
 * What a call of `E` takes, in wire form (`z.input`): the server, not the client, is the
 * judge of a request, so a form can send what a person typed and show the server's verdict.
 */
export type CallInput<E extends Endpoint> = PartInput<'params', E['params']> &
  PartInput<'query', E['query']> &
  PartInput<'body', E['body']> & {
    signal?: AbortSignal | undefined;
    /** Extra request headers, e.g. `Authorization` for the admin endpoints (`auth: 'admin'`). */
    headers?: Readonly<Record<string, string>> | undefined;
    /**
     * Sent as `Idempotency-Key`: one per user action, the same for every retry of it. A write
     * is retried only when it has one (retry-policy.ts).
     */
    idempotencyKey?: string | undefined;
  };

type SuccessStatus<E extends Endpoint> = Extract<keyof E['responses'], 200 | 201 | 202>;
/** The decoded `data` of `E`'s success envelope (dates are `Date`s). */
export type SuccessData<E extends Endpoint> =
  z.output<E['responses'][SuccessStatus<E>]> extends { data: infer Data } ? Data : never;

type CallArgs<E extends Endpoint> = object extends CallInput<E> ? [input?: CallInput<E>] : [input: CallInput<E>];

interface CallRequest {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  idempotencyKey?: string;
}

/**
 * Calls one endpoint of the contract and returns its decoded `data`, or throws an
 * `ApiError`: for an error envelope, for no answer, and for an answer the contract
 * does not allow (`BAD_RESPONSE`). A failed attempt is retried when the retry policy in
 * use says so (retry-policy.ts), within the call's deadline (`apiClient.defaults.timeout`).
 */
export async function call<E extends Endpoint>(endpoint: E, ...[input]: CallArgs<E>): Promise<SuccessData<E>> {
  const request = (input ?? {}) as CallRequest;
  return (await runWithRetries((attempt) => send(endpoint, request, attempt), {
    policy: retryPolicyInUse(),
    budget: sharedRetryBudget,
    method: endpoint.method,
    hasIdempotencyKey: request.idempotencyKey !== undefined,
    deadlineMs: apiClient.defaults.timeout ?? 0,
    signal: request.signal,
  })) as SuccessData<E>;
}

/** One attempt of a call: one HTTP request, its answer read against the contract. */
async function send(endpoint: Endpoint, request: CallRequest, attempt: Attempt): Promise<unknown> {
  const { params, query, body, signal, idempotencyKey } = request;
  // X-Request-Timeout and Idempotency-Key are custom headers: a cross-origin call carrying
  // one is not "simple", so the browser sends a preflight (OPTIONS) first unless it has
  // one cached for this URL. A read is kept simple (request-shaping.ts): the API then
  // applies its default deadline.
  const headers: Record<string, string> = { ...request.headers };
  if (attempt.timeoutMs !== undefined && !keepsRequestSimple(endpoint.method)) {
    headers[REQUEST_TIMEOUT_HEADER] = String(attempt.timeoutMs);
  }
  if (idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = idempotencyKey;
  let response: AxiosResponse<unknown>;
  try {
    response = await apiClient.request({
      method: endpoint.method,
      url: pathOf(endpoint.path, params),
      params: query,
      data: body,
      signal,
      headers,
      timeout: attempt.timeoutMs ?? 0,
      attempt: attempt.number,
      // RUM's `route` label: the contract's path pattern, never the raw URL (src/rum/).
      rumRoute: endpoint.path,
    });
  } catch (error) {
    throw transportError(error);
  }
  return readAnswer(endpoint, response);
}

function readAnswer(endpoint: Endpoint, response: AxiosResponse<unknown>): unknown {
  const { status } = response;
  const requestId = requestIdOf(response);
  const isSuccess = status >= 200 && status < 300;
  // An error status the endpoint does not list (a 429 from a limiter, a 404 from a proxy
  // path) is still read as an error envelope: every error the API sends is one.
  const schema = endpoint.responses[status] ?? (isSuccess ? undefined : ErrorEnvelope);
  if (!schema) {
    throw badResponse(status, requestId, `The API answered ${status}, which this endpoint never returns.`, []);
  }
  // A decoder set with setResponseDecoder reads success answers in place of the contract's
  // decode below (RFC 3339 UTC → Date, anything else BAD_RESPONSE).
  const decoder = isSuccess ? responseDecoderInUse() : undefined;
  if (decoder) return decoder(response.data);
  const answer = schema.safeParse(response.data);
  if (!answer.success) {
    const issues = answer.error.issues.map((issue) => ({
      path: ['response', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw badResponse(status, requestId, `The API's ${status} answer does not match the contract.`, issues);
  }
  if (isSuccess) return (answer.data as { data: unknown }).data;

  // The contract answers every error status with the one ErrorEnvelope schema.
  const { code, message, data } = answer.data as ErrorEnvelope;
  throw new ApiError({
    name: data.error,
    message,
    status,
    code,
    issues: data.issues,
    requestId: data.requestId ?? requestId,
    retryAfterMs: data.retryAfterMs ?? retryAfterMsOf(response.headers['retry-after'], Date.now()),
  });
}

function badResponse(status: number, requestId: string | undefined, message: string, issues: ValidationIssue[]) {
  return new ApiError({ name: 'BAD_RESPONSE', message, status, code: 0, issues, requestId });
}

function transportError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const requestId = axios.isAxiosError(error) ? headerOf(error.config?.headers?.[REQUEST_ID_HEADER]) : undefined;
  if (axios.isCancel(error)) {
    return new ApiError({
      name: 'CANCELLED',
      message: 'The call was cancelled.',
      status: 0,
      code: 0,
      requestId,
      cause: error,
    });
  }
  if (axios.isAxiosError(error) && error.code === 'ETIMEDOUT') {
    return new ApiError({
      name: 'TIMEOUT',
      message: 'The API did not answer in time.',
      status: 0,
      code: 0,
      requestId,
      cause: error,
    });
  }
  return new ApiError({
    name: 'NETWORK',
    message: 'The API could not be reached.',
    status: 0,
    code: 0,
    requestId,
    cause: error,
  });
}

function requestIdOf(response: AxiosResponse<unknown>): string | undefined {
  return headerOf(response.headers[REQUEST_ID_HEADER]) ?? headerOf(response.config.headers.get(REQUEST_ID_HEADER));
}

function headerOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
