import type { RouteLocationRaw } from 'vue-router';

/** Where a sign-in goes when the link named nowhere (or nowhere allowed). */
export const AFTER_SIGN_IN_PATH = '/orders';

/** The sign-in page, told to come back to `next` (a path of this app) afterwards. */
export function signInLocation(next: string): RouteLocationRaw {
  return next === AFTER_SIGN_IN_PATH || next === '/' ? { name: 'sign-in' } : { name: 'sign-in', query: { next } };
}

/**
 * The `?next=` of the sign-in page as a path to go to, or `AFTER_SIGN_IN_PATH`. Only a path
 * of this app passes: it must start with one `/` and stay on this origin once resolved, so
 * `//evil.example`, `/\evil.example`, `https://…` and `javascript:` are all refused (an open
 * redirect would let a link to our sign-in page send a person anywhere after it).
 */
export function nextPathOf(next: unknown): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return AFTER_SIGN_IN_PATH;
  }
  const base = 'https://app.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return AFTER_SIGN_IN_PATH;
  }
  if (url.origin !== base) return AFTER_SIGN_IN_PATH;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Coming back to the sign-in or sign-up page would only ask again.
  return /^\/sign-(in|up)(\/|\?|#|$)/.test(path) ? AFTER_SIGN_IN_PATH : path;
}
