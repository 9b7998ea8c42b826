import { describe, expect, it } from 'vitest';
import { MAX_REPLICAS, parseReplicas } from './scale-out-demo.mjs';

describe('parseReplicas', () => {
  it('takes a whole number from 1 to the maximum', () => {
    expect(parseReplicas('3')).toEqual({ replicas: 3 });
    expect(parseReplicas('1')).toEqual({ replicas: 1 });
    expect(parseReplicas(String(MAX_REPLICAS))).toEqual({ replicas: MAX_REPLICAS });
  });

  it('refuses anything else with a message that says what it wants', () => {
    for (const value of ['0', '-1', '2.5', 'three', '', ' ', '1e1', String(MAX_REPLICAS + 1), true, undefined]) {
      const parsed = parseReplicas(value);
      expect(parsed).toHaveProperty('error');
      expect('error' in parsed && parsed.error).toMatch(/--replicas wants a whole number/);
    }
  });
});
