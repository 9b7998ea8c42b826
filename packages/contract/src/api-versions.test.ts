import { describe, expect, it } from 'vitest';
import { apiVersionOfPath, SetRolloutBody, VersionHeaders } from './api-versions.js';

describe('SetRolloutBody', () => {
  it('takes any one field or several', () => {
    expect(SetRolloutBody.parse({ v2Enabled: false })).toEqual({ v2Enabled: false });
    expect(SetRolloutBody.parse({ v2Share: 50, v2FaultRate: 0.25 })).toEqual({ v2Share: 50, v2FaultRate: 0.25 });
  });

  it.each([
    ['a share above 100', { v2Share: 101 }, 'v2Share'],
    ['a fractional share', { v2Share: 10.5 }, 'v2Share'],
    ['a fault rate above 1', { v2FaultRate: 1.5 }, 'v2FaultRate'],
    ['a string flag', { v2Enabled: 'false' }, 'v2Enabled'],
    ['an unknown field', { v3Share: 1 }, ''],
  ])('rejects %s, naming the field', (_, body, path) => {
    const result = SetRolloutBody.safeParse(body);
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((candidate) => candidate.path.join('.') === path);
    expect(issue, JSON.stringify(result.error?.issues)).toBeDefined();
    if (path === '') expect(issue?.message).toContain('v3Share');
  });

  it('rejects an empty change', () => {
    const result = SetRolloutBody.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at least one/);
  });
});

describe('VersionHeaders', () => {
  it('takes v1, v2 or nothing and rejects anything else', () => {
    expect(VersionHeaders.parse({ 'x-api-canary': 'v2' })).toEqual({ 'x-api-canary': 'v2' });
    expect(VersionHeaders.parse({})).toEqual({});
    expect(VersionHeaders.safeParse({ 'x-api-canary': 'v3' }).success).toBe(false);
  });
});

describe('apiVersionOfPath', () => {
  it.each([
    ['/api/v1/orders', 'v1'],
    ['/api/v2/orders/:id', 'v2'],
    ['/api/v2', 'v2'],
    ['/api/v1/orders?limit=20', 'v1'],
    ['/api/v2?x=1', 'v2'],
    ['/api/v1x/orders', undefined],
    ['/api/version', undefined],
    ['/api/v3/orders', undefined],
    ['/api/v10/orders', undefined],
    ['/metrics', undefined],
  ])('%s → %s', (path, version) => {
    expect(apiVersionOfPath(path)).toBe(version);
  });
});
