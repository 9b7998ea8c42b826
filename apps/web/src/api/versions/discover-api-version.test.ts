import { CANARY_HEADER } from '@tandem/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RequestAnswer, useRecordingServer } from '../../../test/recording-server';
import { apiClient } from '../client';
import { discoverApiVersion } from './discover-api-version';

// A real HTTP server on a free port stands in for GET /api/version.
let answer: RequestAnswer;
const server = useRecordingServer((request, response) => answer(request, response));
const { seen } = server;

beforeAll(() => {
  apiClient.defaults.baseURL = server.origin;
});

function assign(version: 'v1' | 'v2', reason: 'header' | 'share' | 'rolled-back'): RequestAnswer {
  return (_request, response) => {
    const data = { version, reason, bucket: 42, v2Share: 10 };
    response
      .writeHead(200, { 'content-type': 'application/json', 'api-version': version })
      .end(JSON.stringify({ code: 200, message: 'OK', data, timestamp: '2026-11-24T09:30:01.000Z' }));
  };
}

describe('discoverApiVersion', () => {
  it('asks GET /api/version and takes the version it assigns', async () => {
    answer = assign('v2', 'share');
    const discovery = await discoverApiVersion('');
    expect(discovery).toMatchObject({ source: 'api', version: 'v2', assignment: { bucket: 42, reason: 'share' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/api/version');
    expect(seen[0]?.headers[CANARY_HEADER]).toBeUndefined();
  });

  it('sends ?canary=v2 of the page URL as the x-api-canary header', async () => {
    answer = assign('v2', 'header');
    const discovery = await discoverApiVersion('?canary=v2');
    expect(seen[0]?.headers[CANARY_HEADER]).toBe('v2');
    expect(discovery).toMatchObject({ source: 'api', version: 'v2', canary: { kind: 'version', version: 'v2' } });
  });

  it('sends ?canary=v1 too (an opt-out), and never a value that names no version', async () => {
    answer = assign('v1', 'header');
    await discoverApiVersion('?canary=v1');
    expect(seen[0]?.headers[CANARY_HEADER]).toBe('v1');

    seen.length = 0;
    const discovery = await discoverApiVersion('?canary=v9');
    expect(seen[0]?.headers[CANARY_HEADER]).toBeUndefined();
    expect(discovery.canary).toEqual({ kind: 'invalid', value: 'v9' });
  });

  it('falls back to v1 and says why when the check fails', async () => {
    answer = (_request, response) => {
      const data = { error: 'VALIDATION_FAILED', requestId: 'abc' };
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ code: 40001, message: 'Validation failed', data, timestamp: '2026-11-24T09:30:01.000Z' }),
        );
    };
    const discovery = await discoverApiVersion('');
    expect(discovery).toMatchObject({ source: 'fallback', version: 'v1' });
    expect(discovery.source === 'fallback' && discovery.problem).toContain('400');
  });

  it('falls back to v1 when the answer is not a version assignment', async () => {
    answer = (_request, response) => {
      const data = { version: 'v3', reason: 'share', bucket: 1, v2Share: 0 };
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 200, message: 'OK', data, timestamp: '2026-11-24T09:30:01.000Z' }));
    };
    const discovery = await discoverApiVersion('?canary=v2');
    expect(discovery).toMatchObject({ source: 'fallback', version: 'v1' });
    expect(discovery.source === 'fallback' && discovery.problem).toContain('BAD_RESPONSE');
  });

  it('falls back to v1 when the API does not answer in time', async () => {
    answer = () => {}; // never answers
    const discovery = await discoverApiVersion('', 300);
    expect(discovery).toMatchObject({ source: 'fallback', version: 'v1' });
    expect(discovery.source === 'fallback' && discovery.problem).toContain('did not answer within 0.3 s');
  });
});
