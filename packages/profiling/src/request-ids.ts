import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { REQUEST_ID_HEADER } from '@tandem/contract';
import { collectServerRequestIds } from '@tandem/local-stack';
import type { Page } from 'playwright-core';

/**
 * Collects the request ids of the calls a tab makes to the API: the id the answer
 * echoes (`X-Request-ID`), or the one the SPA's axios sent when there is no answer.
 * CORS preflights are left out (they are not the call).
 */
export function watchBrowserRequestIds(page: Page, apiOrigin: string): { ids: Set<string> } {
  const seen = { ids: new Set<string>() };
  page.on('requestfinished', async (request) => {
    if (!request.url().startsWith(apiOrigin) || request.method() === 'OPTIONS') return;
    const response = await request.response().catch(() => null);
    const id =
      (await response?.headerValue(REQUEST_ID_HEADER).catch(() => null)) ?? request.headers()[REQUEST_ID_HEADER];
    if (id) seen.ids.add(id);
  });
  page.on('requestfailed', (request) => {
    const id = request.headers()[REQUEST_ID_HEADER];
    if (request.url().startsWith(apiOrigin) && request.method() !== 'OPTIONS' && id) seen.ids.add(id);
  });
  return seen;
}

/**
 * The request ids of the API's pino log (NDJSON) from byte `fromByte` on: each `requestId`
 * of a request's own lines, once, in the order first seen. The API must log at `info`
 * (its per-request lines); `pnpm trace <id>` shows one of them in full. A line cut by the
 * window's edge is not JSON and is passed over.
 */
export function serverRequestIdsInLog(logFile: string, fromByte = 0): Promise<string[]> {
  const size = statSync(logFile).size;
  const buffer = Buffer.alloc(Math.max(size - fromByte, 0));
  const fd = openSync(logFile, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, fromByte);
  } finally {
    closeSync(fd);
  }
  return collectServerRequestIds(buffer.toString('utf8').split('\n'));
}
