import type { RolloutState } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { assignVersion } from './version-assignment.js';

const rollout = (change: Partial<RolloutState>): RolloutState => ({
  v2Enabled: true,
  v2Share: 0,
  v2FaultRate: 0,
  ...change,
});

describe('assignVersion', () => {
  it('puts a bucket on v2 exactly when it is below the share', () => {
    expect(assignVersion(rollout({ v2Share: 10 }), 9, undefined)).toEqual({
      version: 'v2',
      reason: 'share',
      bucket: 9,
      v2Share: 10,
    });
    expect(assignVersion(rollout({ v2Share: 10 }), 10, undefined).version).toBe('v1');
    expect(assignVersion(rollout({ v2Share: 0 }), 0, undefined).version).toBe('v1');
    expect(assignVersion(rollout({ v2Share: 100 }), 99, undefined).version).toBe('v2');
  });

  it('never moves a v2 bucket back while the share rises 10 → 50 → 100', () => {
    for (let bucket = 0; bucket < 100; bucket += 1) {
      const versions = [10, 50, 100].map((v2Share) => assignVersion(rollout({ v2Share }), bucket, undefined).version);
      const firstV2 = versions.indexOf('v2');
      expect(versions.slice(firstV2 === -1 ? versions.length : firstV2).every((version) => version === 'v2')).toBe(
        true,
      );
    }
  });

  it('honours an explicit choice (header or cookie) both ways while v2 is enabled', () => {
    expect(assignVersion(rollout({ v2Share: 0 }), 50, { version: 'v2', by: 'header' })).toMatchObject({
      version: 'v2',
      reason: 'header',
    });
    expect(assignVersion(rollout({ v2Share: 100 }), 0, { version: 'v1', by: 'cookie' })).toMatchObject({
      version: 'v1',
      reason: 'cookie',
    });
  });

  it('sends everyone to v1 when rolled back, header or not, and reports no share', () => {
    for (const requested of [undefined, { version: 'v1', by: 'header' }, { version: 'v2', by: 'cookie' }] as const) {
      expect(assignVersion(rollout({ v2Enabled: false, v2Share: 100 }), 0, requested)).toEqual({
        version: 'v1',
        reason: 'rolled-back',
        bucket: 0,
        v2Share: 0,
      });
    }
  });
});
