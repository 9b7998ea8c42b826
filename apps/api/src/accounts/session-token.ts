import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes: what the cookie carries (base64url, 43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the sessions table keeps of a token: its SHA-256 (hex). A leaked table opens no session. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The cookie's token as a newSessionToken wrote it; anything else is not looked up. */
export function isSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
