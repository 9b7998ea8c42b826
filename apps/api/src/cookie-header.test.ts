import { describe, expect, it } from 'vitest';
import { readCookie } from './cookie-header.js';

describe('readCookie', () => {
  it.each([
    ['the only cookie', 'b=42', '42'],
    ['one of several, spaces or none', 'a=1;b=42; c=3', '42'],
    ['the first of two with the name', 'b=7; b=42', '7'],
    ['a quoted value', 'a=1; b="42"', '42'],
    ['a percent-encoded value', 'b=4%32', '42'],
    ['a value that does not decode, as sent', 'b=%E0%A4%A', '%E0%A4%A'],
    ['an empty value', 'b=', ''],
    ['a value with = in it', 'b=x=y', 'x=y'],
  ])('reads %s', (_, header, value) => {
    expect(readCookie(header, 'b')).toBe(value);
  });

  it.each([
    ['no header', undefined],
    ['another cookie only', 'ab=42; bb=1'],
    ['a pair without =', 'b; c=1'],
    ['an empty header', ''],
  ])('answers undefined for %s', (_, header) => {
    expect(readCookie(header, 'b')).toBeUndefined();
  });

  it('reads a header split into several fields', () => {
    expect(readCookie(['a=1', 'b=42'], 'b')).toBe('42');
  });
});
