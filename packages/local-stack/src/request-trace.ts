import { ApiCallSample } from '@tandem/contract';

/** One pino line of the API's log, as JSON. */
export type LogRecord = Record<string, unknown>;

/** The browser's record of one call: a `rum api-call` line's sample, and when the API logged it. */
export interface BrowserRecord {
  loggedAt: number | undefined;
  /** The SPA build that sent the batch. */
  app: string | undefined;
  sample: ApiCallSample;
}

export interface ServerLine {
  time: number | undefined;
  level: number | undefined;
  msg: string;
  method: string | undefined;
  url: string | undefined;
  statusCode: number | undefined;
  responseTime: number | undefined;
  /** The `Server-Timing` header the completion line says was sent. */
  serverTiming: string | undefined;
  error: string | undefined;
}

export interface RequestTrace {
  requestId: string;
  /** Lines read, JSON or not. */
  linesRead: number;
  browser: BrowserRecord[];
  server: ServerLine[];
}

/** The message the ingest route logs each api-call sample with (apps/api/src/routes/rum). */
export const RUM_API_CALL_MESSAGE = 'rum api-call';

/**
 * One request's records from the API's pino NDJSON log: the server's own lines carry
 * `requestId`; the browser's side is a `rum api-call` line (logged while another request,
 * the beacon, was handled) whose `rum.requestId` is the id. Lines that are not JSON, or
 * carry a console prefix before the JSON (`[api] {…}` from the demo), are read past it.
 */
export async function collectRequestTrace(
  lines: AsyncIterable<string> | Iterable<string>,
  requestId: string,
): Promise<RequestTrace> {
  const trace: RequestTrace = { requestId, linesRead: 0, browser: [], server: [] };
  for await (const line of lines) {
    trace.linesRead++;
    // Cheap filter first: most lines of a long log are about other requests.
    if (!line.includes(requestId)) continue;
    const record = parseRecord(line);
    if (!record) continue;
    if (record.msg === RUM_API_CALL_MESSAGE) {
      const sample = ApiCallSample.safeParse(record.rum);
      if (sample.success && sample.data.requestId === requestId) {
        trace.browser.push({ loggedAt: numberOf(record.time), app: stringOf(record.app), sample: sample.data });
      }
    }
    if (record.requestId === requestId) trace.server.push(serverLine(record));
  }
  return trace;
}

/**
 * Every browser record of the log: each `rum api-call` line's sample, whatever its id
 * (the request-id lab joins each one to the server's lines with collectRequestTrace).
 */
export async function collectBrowserRecords(lines: AsyncIterable<string> | Iterable<string>): Promise<BrowserRecord[]> {
  const records: BrowserRecord[] = [];
  for await (const line of lines) {
    if (!line.includes(RUM_API_CALL_MESSAGE)) continue;
    const record = parseRecord(line);
    if (record?.msg !== RUM_API_CALL_MESSAGE) continue;
    const sample = ApiCallSample.safeParse(record.rum);
    if (sample.success)
      records.push({ loggedAt: numberOf(record.time), app: stringOf(record.app), sample: sample.data });
  }
  return records;
}

/**
 * Every request id of the server's own lines (`requestId`), once each, in the order first
 * seen (the profiling command joins them to the ids the browser saw).
 */
export async function collectServerRequestIds(lines: AsyncIterable<string> | Iterable<string>): Promise<string[]> {
  const ids = new Set<string>();
  for await (const line of lines) {
    if (!line.includes('"requestId"')) continue;
    const id = parseRecord(line)?.requestId;
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

function parseRecord(line: string): LogRecord | undefined {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(line.slice(start));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

function serverLine(record: LogRecord): ServerLine {
  const req = objectOf(record.req);
  const res = objectOf(record.res);
  return {
    time: numberOf(record.time),
    level: numberOf(record.level),
    msg: stringOf(record.msg) ?? '',
    method: stringOf(req?.method),
    url: stringOf(req?.url),
    statusCode: numberOf(res?.statusCode) ?? numberOf(record.status),
    responseTime: numberOf(record.responseTime),
    serverTiming: stringOf(record.serverTiming),
    error: stringOf(record.error) ?? stringOf(objectOf(record.err)?.message),
  };
}

const objectOf = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
const numberOf = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** `app;dur=12.3, db;dur=4.1` → `{ appMs: 12.3, dbMs: 4.1 }` (other metrics kept by name). */
export function parseServerTiming(header: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const entry of header.split(',')) {
    const [name, ...params] = entry.split(';').map((part) => part.trim());
    const duration = params.find((param) => param.startsWith('dur='));
    if (name && duration) metrics[`${name}Ms`] = Number(duration.slice(4));
  }
  return metrics;
}
