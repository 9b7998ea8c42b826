import {
  API_VERSION_HEADER,
  CANARY_BUCKET_COOKIE,
  CANARY_COOKIE,
  CANARY_HEADER,
  ErrorEnvelope,
  RolloutStateEnvelope,
  type VersionAssignment,
  VersionAssignmentEnvelope,
} from '@tandem/contract';
import { beforeEach, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import type { TestRequest, TestResponse } from '../../../test/clients.js';

const TOKEN = 'versions-test-token';
const started = useStartedApi({ env: { ADMIN_TOKEN: TOKEN } });

const BUCKET_COOKIE = new RegExp(
  `^${CANARY_BUCKET_COOKIE}=(\\d{1,2}); Max-Age=2592000; Path=/api; SameSite=Lax; Secure; HttpOnly$`,
);

beforeEach(() => {
  started.api.app.rollout.set({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
});

/** `null`: no Authorization header at all. */
const setRollout = (body: unknown, token: string | null = TOKEN): TestRequest => ({
  method: 'PUT',
  path: '/api/v1/admin/rollout',
  headers: token === null ? {} : { authorization: `Bearer ${token}` },
  body,
});

async function changeRollout(body: unknown) {
  const res = await started.client.request(setRollout(body));
  expect(res.status, res.text).toBe(200);
  return RolloutStateEnvelope.parse(res.json()).data;
}

/** GET /api/version as a browser with `cookie` would send it; the assignment, the answer and its Set-Cookie. */
async function version(headers: Record<string, string> = {}) {
  const res = await started.client.request({ path: '/api/version', headers });
  expect(res.status, res.text).toBe(200);
  const assignment = VersionAssignmentEnvelope.parse(res.json()).data;
  expect(res.headers[API_VERSION_HEADER]).toBe(assignment.version);
  return { assignment, res, setCookie: setCookieOf(res) };
}

function setCookieOf(res: TestResponse): string | undefined {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? header.join('\n') : header;
}

async function expectError(res: TestResponse, status: number, error: string) {
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  return body;
}

/** A client that keeps the bucket cookie the server gave it, like a browser. */
async function newClient() {
  const first = await version();
  const match = BUCKET_COOKIE.exec(first.setCookie ?? '');
  expect(match, first.setCookie).not.toBeNull();
  const cookie = `${CANARY_BUCKET_COOKIE}=${match?.[1]}`;
  expect(first.assignment.bucket).toBe(Number(match?.[1]));
  return { cookie, bucket: first.assignment.bucket };
}

describe('GET /api/version', () => {
  it('gives a first-time client a bucket cookie and the version its bucket earns', async () => {
    await changeRollout({ v2Share: 0 });
    const { assignment, setCookie } = await version();
    expect(setCookie).toMatch(BUCKET_COOKIE);
    expect(assignment).toEqual({ version: 'v1', reason: 'share', bucket: assignment.bucket, v2Share: 0 });
  });

  it('is sticky: the same cookie keeps its bucket, and a v2 client stays on v2 as the share rises 10 → 50 → 100', async () => {
    await changeRollout({ v2Share: 10 });
    const clients = await Promise.all(Array.from({ length: 40 }, () => newClient()));
    const seen = new Map<string, VersionAssignment['version'][]>();
    for (const v2Share of [10, 50, 100]) {
      await changeRollout({ v2Share });
      for (const client of clients) {
        const { assignment, setCookie } = await version({ cookie: client.cookie });
        // The server never re-buckets a client that kept its cookie.
        expect(setCookie).toBeUndefined();
        expect(assignment).toEqual({
          version: client.bucket < v2Share ? 'v2' : 'v1',
          reason: 'share',
          bucket: client.bucket,
          v2Share,
        });
        seen.set(client.cookie, [...(seen.get(client.cookie) ?? []), assignment.version]);
      }
    }
    for (const versions of seen.values()) {
      const firstV2 = versions.indexOf('v2');
      if (firstV2 !== -1) expect(versions.slice(firstV2)).toEqual(versions.slice(firstV2).map(() => 'v2'));
    }
    expect([...seen.values()].every((versions) => versions.at(-1) === 'v2')).toBe(true);
  });

  it('places fixed buckets on either side of the share', async () => {
    await changeRollout({ v2Share: 50 });
    expect((await version({ cookie: `${CANARY_BUCKET_COOKIE}=49` })).assignment.version).toBe('v2');
    expect((await version({ cookie: `${CANARY_BUCKET_COOKIE}=50` })).assignment.version).toBe('v1');
    // Other cookies around it change nothing.
    expect((await version({ cookie: `a=1; ${CANARY_BUCKET_COOKIE}=0; b=2` })).assignment.bucket).toBe(0);
  });

  it('honours x-api-canary both ways, over the share', async () => {
    await changeRollout({ v2Share: 0 });
    const v2 = await version({ [CANARY_HEADER]: 'v2', cookie: `${CANARY_BUCKET_COOKIE}=99` });
    expect(v2.assignment).toMatchObject({ version: 'v2', reason: 'header', bucket: 99 });
    await changeRollout({ v2Share: 100 });
    const v1 = await version({ [CANARY_HEADER]: 'v1', cookie: `${CANARY_BUCKET_COOKIE}=0` });
    expect(v1.assignment).toMatchObject({ version: 'v1', reason: 'header', bucket: 0 });
  });

  it('honours the tandem_api_canary cookie like the header; the header wins; a bad value is a 400 naming it', async () => {
    await changeRollout({ v2Share: 0 });
    const v2 = await version({ cookie: `${CANARY_COOKIE}=v2; ${CANARY_BUCKET_COOKIE}=99` });
    expect(v2.assignment).toMatchObject({ version: 'v2', reason: 'cookie', bucket: 99 });
    await changeRollout({ v2Share: 100 });
    const v1 = await version({ cookie: `${CANARY_BUCKET_COOKIE}=0; ${CANARY_COOKIE}=v1` });
    expect(v1.assignment).toMatchObject({ version: 'v1', reason: 'cookie' });
    const both = await version({ [CANARY_HEADER]: 'v2', cookie: `${CANARY_COOKIE}=v1; ${CANARY_BUCKET_COOKIE}=0` });
    expect(both.assignment).toMatchObject({ version: 'v2', reason: 'header' });

    const res = await started.client.request({ path: '/api/version', headers: { cookie: `${CANARY_COOKIE}=v3` } });
    expect(res.status, res.text).toBe(400);
    const body = ErrorEnvelope.parse(res.json());
    expect(body.data.issues?.map((issue) => issue.path)).toEqual([`cookies.${CANARY_COOKIE}`]);
    expect(body.message).toContain(CANARY_COOKIE);
  });

  it('rolls everyone back to v1 with one switch, canary header or not, and forward again', async () => {
    await changeRollout({ v2Share: 100 });
    const client = await newClient();
    expect((await version({ cookie: client.cookie })).assignment.version).toBe('v2');

    const state = await changeRollout({ v2Enabled: false });
    expect(state).toEqual({ v2Enabled: false, v2Share: 100, v2FaultRate: 0 });
    const asked: Record<string, string>[] = [
      { cookie: client.cookie },
      { cookie: client.cookie, [CANARY_HEADER]: 'v2' },
      {},
    ];
    for (const headers of asked) {
      const { assignment } = await version(headers);
      expect(assignment).toMatchObject({ version: 'v1', reason: 'rolled-back', v2Share: 0 });
    }

    await changeRollout({ v2Enabled: true });
    expect((await version({ cookie: client.cookie })).assignment).toMatchObject({ version: 'v2', reason: 'share' });
  });

  it.each([
    ['a word', 'abc'],
    ['a bucket past 99', '150'],
    ['a negative bucket', '-1'],
    ['a leading zero', '07'],
    ['a decimal', '1.5'],
    ['an empty value', ''],
  ])('treats a malformed bucket cookie (%s) as absent and issues a new one, never a 4xx or 5xx', async (_, value) => {
    const { assignment, setCookie } = await version({ cookie: `${CANARY_BUCKET_COOKIE}=${value}` });
    expect(setCookie).toMatch(BUCKET_COOKIE);
    expect(String(assignment.bucket)).toBe(BUCKET_COOKIE.exec(setCookie ?? '')?.[1]);
  });

  it('refuses an unknown x-api-canary value with a 400 naming the header', async () => {
    const res = await started.client.request({ path: '/api/version', headers: { [CANARY_HEADER]: 'v3' } });
    const body = await expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.data.issues?.map((issue) => issue.path)).toEqual([`headers.${CANARY_HEADER}`]);
  });

  it('counts each assignment by version and reason', async () => {
    const earlier = await assignmentsMetric();
    await changeRollout({ v2Share: 100 });
    await version({ cookie: `${CANARY_BUCKET_COOKIE}=3` });
    await version({ [CANARY_HEADER]: 'v1' });
    await changeRollout({ v2Enabled: false });
    await version();
    const later = await assignmentsMetric();
    expect(later('v2', 'share') - earlier('v2', 'share')).toBe(1);
    expect(later('v1', 'header') - earlier('v1', 'header')).toBe(1);
    expect(later('v1', 'rolled-back') - earlier('v1', 'rolled-back')).toBe(1);
    expect(later('v2', 'header') - earlier('v2', 'header')).toBe(0);
  });

  it('answers a credentialed cross-origin call from the web origin, and preflights x-api-canary', async () => {
    const res = await started.client.request({ path: '/api/version', headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-expose-headers'])).toContain(API_VERSION_HEADER);

    const preflight = await started.client.request({
      method: 'OPTIONS',
      path: '/api/version',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': CANARY_HEADER,
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(String(preflight.headers['access-control-allow-headers']).split(/,\s*/)).toContain(CANARY_HEADER);

    // @fastify/cors sends Allow-Credentials whatever the origin; without a matching
    // Allow-Origin the browser still refuses the answer, so another origin reads nothing.
    const other = await started.client.request({ path: '/api/version', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

async function assignmentsMetric() {
  const text = (await started.client.request({ path: '/metrics' })).text;
  return (version: string, reason: string) => {
    const line = text
      .split('\n')
      .find((candidate) =>
        candidate.startsWith(`tandem_api_version_assignments_total{version="${version}",reason="${reason}"}`),
      );
    if (!line) throw new Error(`no series for ${version}/${reason}`);
    return Number(line.split(' ').at(-1));
  };
}

describe('GET /api/v1/rollout and PUT /api/v1/admin/rollout', () => {
  it('reads and changes the rollout, and the share gauge follows (0 while rolled back)', async () => {
    const read = await started.client.request({ path: '/api/v1/rollout' });
    expect(read.status).toBe(200);
    expect(read.headers[API_VERSION_HEADER]).toBe('v1');
    expect(RolloutStateEnvelope.parse(read.json()).data).toEqual({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });

    expect(await changeRollout({ v2Share: 50, v2FaultRate: 0.25 })).toEqual({
      v2Enabled: true,
      v2Share: 50,
      v2FaultRate: 0.25,
    });
    expect(await shareGauge()).toBe(50);
    await changeRollout({ v2Enabled: false });
    expect(await shareGauge()).toBe(0);
    const after = RolloutStateEnvelope.parse((await started.client.request({ path: '/api/v1/rollout' })).json());
    expect(after.data).toEqual({ v2Enabled: false, v2Share: 50, v2FaultRate: 0.25 });
  });

  it.each([
    ['a share above 100', { v2Share: 101 }, 'body.v2Share'],
    ['a fractional share', { v2Share: 12.5 }, 'body.v2Share'],
    ['a fault rate above 1', { v2FaultRate: 2 }, 'body.v2FaultRate'],
    ['a string flag', { v2Enabled: 'false' }, 'body.v2Enabled'],
    ['an unknown field', { share: 10 }, 'body.share'],
    ['an empty change', {}, 'body'],
  ])('refuses %s with a 400 naming the field, and changes nothing', async (_, body, path) => {
    const res = await started.client.request(setRollout(body));
    const error = await expectError(res, 400, 'VALIDATION_FAILED');
    expect(error.data.issues?.map((issue) => issue.path)).toContain(path);
    expect(started.api.app.rollout.state()).toEqual({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'not-the-token'],
  ])('answers 401 UNAUTHORIZED to %s, before looking at the body', async (_, token) => {
    await expectError(await started.client.request(setRollout({ v2Share: 'x' }, token)), 401, 'UNAUTHORIZED');
    await expectError(await started.client.request(setRollout({ v2Enabled: false }, token)), 401, 'UNAUTHORIZED');
    expect(started.api.app.rollout.state().v2Enabled).toBe(true);
  });
});

async function shareGauge(): Promise<number> {
  const text = (await started.client.request({ path: '/metrics' })).text;
  const line = text.split('\n').find((candidate) => candidate.startsWith('tandem_api_rollout_v2_share '));
  return Number(line?.split(' ')[1]);
}

describe('an API started with v2 rolled back and no ADMIN_TOKEN', () => {
  const fromEnv = useStartedApi({ env: { API_V2_ENABLED: 'false', API_V2_SHARE: '30' } });

  it('come from API_V2_ENABLED and API_V2_SHARE, with no fault', async () => {
    const res = await fromEnv.client.request({ path: '/api/v1/rollout' });
    expect(RolloutStateEnvelope.parse(res.json()).data).toEqual({ v2Enabled: false, v2Share: 30, v2FaultRate: 0 });
    const assigned = await fromEnv.client.request({ path: '/api/version', headers: { [CANARY_HEADER]: 'v2' } });
    expect(VersionAssignmentEnvelope.parse(assigned.json()).data).toMatchObject({
      version: 'v1',
      reason: 'rolled-back',
    });
  });

  it('answers PUT /api/v1/admin/rollout 403 ADMIN_DISABLED, whatever the token', async () => {
    for (const token of [TOKEN, null]) {
      const res = await fromEnv.client.request(setRollout({ v2Enabled: true }, token));
      await expectError(res, 403, 'ADMIN_DISABLED');
    }
    expect(fromEnv.api.app.rollout.state().v2Enabled).toBe(false);
  });
});
