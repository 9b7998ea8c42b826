import { afterEach, describe, expect, it } from 'vitest';
import { retryPolicyInUse } from '../api/retry-policy';
import { applyLabModes } from './lab-modes';
import { retryPolicyOfLab } from './retry-policy-of-lab';
// client.ts is where the lab's policy is handed to every call(): loading it wires the switch.
import '../api/client';

describe('retry-429 lab switch', () => {
  afterEach(() => applyLabModes([{ id: 'retry-429', mode: 'tuned' }]));

  it('tuned: call() retries with the aligned policy', () => {
    applyLabModes([{ id: 'retry-429', mode: 'tuned' }]);
    expect(retryPolicyOfLab.value.name).toBe('aligned');
    expect(retryPolicyInUse().name).toBe('aligned');
  });

  it('naive: call() retries with the libraries’ default policy, and back when the lab flips again', () => {
    applyLabModes([{ id: 'retry-429', mode: 'naive' }]);
    expect(retryPolicyInUse().name).toBe('default');
    applyLabModes([{ id: 'retry-429', mode: 'tuned' }]);
    expect(retryPolicyInUse().name).toBe('aligned');
  });
});
