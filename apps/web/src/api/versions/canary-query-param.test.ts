import { describe, expect, it } from 'vitest';
import { canaryAskOf } from './canary-query-param';

describe('canaryAskOf', () => {
  it('reads ?canary=v2 and ?canary=v1 as a version to ask for', () => {
    expect(canaryAskOf('?canary=v2')).toEqual({ kind: 'version', version: 'v2' });
    expect(canaryAskOf('?page=3&canary=v1')).toEqual({ kind: 'version', version: 'v1' });
  });

  it('asks for nothing without the parameter', () => {
    expect(canaryAskOf('')).toEqual({ kind: 'none' });
    expect(canaryAskOf('?created=1')).toEqual({ kind: 'none' });
  });

  it('names a value that is no version instead of guessing one', () => {
    expect(canaryAskOf('?canary=v3')).toEqual({ kind: 'invalid', value: 'v3' });
    expect(canaryAskOf('?canary=V2')).toEqual({ kind: 'invalid', value: 'V2' });
    expect(canaryAskOf('?canary=')).toEqual({ kind: 'invalid', value: '' });
  });
});
