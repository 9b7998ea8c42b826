import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The admin routes' `onRequest` hook, run before the body is read or validated.
 * No LAB_ADMIN_TOKEN configured: 403 LAB_ADMIN_DISABLED (the switches are off, whoever
 * asks). Otherwise `Authorization: Bearer <token>` must match: 401 UNAUTHORIZED if not.
 * Both sides are hashed first so the comparison takes the same time whatever the input.
 */
export function adminGuard(token: string | undefined): onRequestAsyncHookHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (request) => {
    if (!expected) throw new AppError('LAB_ADMIN_DISABLED');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) throw new AppError('UNAUTHORIZED');
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
