import { SESSION_COOKIE } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';

describe('the session cookie', () => {
  it('is what a __Host- cookie must be: Secure, Path=/, no Domain; and HttpOnly, SameSite=Lax', () => {
    const cookie = sessionCookie('token', 3600);
    expect(SESSION_COOKIE.startsWith('__Host-')).toBe(true);
    expect(cookie).toBe(`${SESSION_COOKIE}=token; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax`);
    expect(cookie).not.toMatch(/domain/i);
  });

  it('is cleared with an empty value and Max-Age=0, the same flags', () => {
    expect(clearedSessionCookie()).toBe(`${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`);
  });
});
