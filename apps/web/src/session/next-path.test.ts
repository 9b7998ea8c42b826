import { describe, expect, it } from 'vitest';
import { AFTER_SIGN_IN_PATH, nextPathOf, signInLocation } from './next-path';

describe('nextPathOf', () => {
  it('keeps a path of this app, its query and hash included', () => {
    expect(nextPathOf('/orders/0b4c1d62-6c2a-4b7e-9a57-1a0c9c7c2f11')).toBe(
      '/orders/0b4c1d62-6c2a-4b7e-9a57-1a0c9c7c2f11',
    );
    expect(nextPathOf('/orders?status=paid#top')).toBe('/orders?status=paid#top');
  });

  it.each([
    ['another origin', 'https://evil.example/orders'],
    ['a protocol-relative URL', '//evil.example/orders'],
    ['a backslash some browsers read as a slash', '/\\evil.example'],
    ['a script URL', 'javascript:alert(1)'],
    ['a relative path', 'orders'],
    ['nothing', undefined],
    ['an empty value', ''],
    ['a number', 42],
    ['the sign-in page itself', '/sign-in?next=/orders'],
    ['the sign-up page', '/sign-up'],
  ])('refuses %s: the default page instead', (_, next) => {
    expect(nextPathOf(next)).toBe(AFTER_SIGN_IN_PATH);
  });

  it('reads the first of a repeated query value', () => {
    expect(nextPathOf(['/customers', '//evil.example'])).toBe('/customers');
  });
});

describe('signInLocation', () => {
  it('names where to come back to, unless it is the default page', () => {
    expect(signInLocation('/customers')).toEqual({ name: 'sign-in', query: { next: '/customers' } });
    expect(signInLocation(AFTER_SIGN_IN_PATH)).toEqual({ name: 'sign-in' });
  });
});
