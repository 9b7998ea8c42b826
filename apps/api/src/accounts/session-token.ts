import { hash, randomBytes } from 'node:crypto';

/** 32 random bytes: what the cookie carries (base64url, 43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the sessions table keeps of a token: its SHA-256 (hex). A leaked table opens no session.
 * Every signed-in request hashes its cookie's token: the one-shot `crypto.hash` does it
 * without a Hash object (createHash/update/digest cost about three times as much).
 */
export function sessionIdOf(token: string): string {
  return hash('sha256', token, 'hex');
}

/** The cookie's token as a newSessionToken wrote it; anything else is not looked up. */
export function isSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
