import { describe, expect, it } from 'vitest';
import { collectServerRequestIds } from './request-trace.js';

describe('collectServerRequestIds', () => {
  it('gives each request id of the server lines once, in the order first seen, past prefixes and broken lines', async () => {
    const lines = [
      '{"level":30,"requestId":"b","msg":"incoming request"}',
      '[api] {"level":30,"requestId":"a","msg":"incoming request"}',
      '{"level":30,"requestId":"b","msg":"request completed"}',
      '{"level":30,"requestId":"c","msg":"request compl', // cut at a window's edge
      '{"level":30,"msg":"rate limiter ready"}',
      '{"level":30,"requestId":7,"msg":"not an id"}',
      'not json at all "requestId"',
    ];
    expect(await collectServerRequestIds(lines)).toEqual(['b', 'a']);
  });
});
