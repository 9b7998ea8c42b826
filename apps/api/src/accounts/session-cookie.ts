import { SESSION_COOKIE } from '@tandem/contract';

/**
 * The session cookie's `Set-Cookie`: `Secure` and `Path=/` with no `Domain`, as the
 * `__Host-` prefix demands (the browser refuses it otherwise); `HttpOnly`, so no script
 * reads it; `SameSite=Lax`, so another site's page cannot send it with a POST (the CSRF
 * stance: docs/decisions/0013-password-hashing-and-sessions.md). `Max-Age` is the
 * session's time left; each extension sends the cookie again.
 */
export function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Secure; HttpOnly; SameSite=Lax`;
}

/** Tells the browser to drop the cookie (sign-out, or a session the server no longer knows). */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`;
}
