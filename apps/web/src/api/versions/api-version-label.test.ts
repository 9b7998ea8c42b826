import type { VersionAssignment } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import type { ActiveApiVersion } from './active-api-version';
import { apiVersionLabel } from './api-version-label';
import type { ApiVersionModule } from './orders-api';

const moduleOf = (apiVersion: 'v1' | 'v2') => ({ apiVersion, ordersApi: {} }) as ApiVersionModule;
const fromApi = (apiVersion: 'v1' | 'v2', assignment: Partial<VersionAssignment>): ActiveApiVersion => {
  const full = { version: apiVersion, reason: 'share', bucket: 4, v2Share: 10, ...assignment } as const;
  return {
    module: moduleOf(apiVersion),
    discovery: { source: 'api', version: apiVersion, assignment: full, canary: { kind: 'none' } },
  };
};

describe('apiVersionLabel', () => {
  it('calls v2 a canary while it serves part of the clients or was asked for', () => {
    expect(apiVersionLabel(fromApi('v2', { reason: 'share', v2Share: 10 }))).toBe('API v2 (canary)');
    expect(apiVersionLabel(fromApi('v2', { reason: 'header', v2Share: 100 }))).toBe('API v2 (canary)');
    expect(apiVersionLabel(fromApi('v2', { reason: 'share', v2Share: 100 }))).toBe('API v2');
  });

  it('names v1 plainly, and says when v2 was rolled back', () => {
    expect(apiVersionLabel(fromApi('v1', { reason: 'share', bucket: 50 }))).toBe('API v1');
    expect(apiVersionLabel(fromApi('v1', { reason: 'rolled-back' }))).toBe('API v1 (v2 rolled back)');
  });

  it('says fallback when the check failed or the assigned module did not load', () => {
    const failed: ActiveApiVersion = {
      module: moduleOf('v1'),
      discovery: { source: 'fallback', version: 'v1', problem: 'no answer', canary: { kind: 'none' } },
    };
    expect(apiVersionLabel(failed)).toBe('API v1 (fallback)');
    expect(apiVersionLabel({ ...fromApi('v2', {}), module: moduleOf('v1'), loadProblem: 'chunk failed' })).toBe(
      'API v1 (fallback)',
    );
  });
});
