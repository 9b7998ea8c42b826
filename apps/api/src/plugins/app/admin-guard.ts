import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The `onRequest` hook of every admin route: `{ ...contractRoute(…), onRequest: app.adminGuard }`. */
    adminGuard: onRequestAsyncHookHandler;
  }
}

/**
 * The admin routes' `onRequest` hook, run before the body is read or validated.
 * No ADMIN_TOKEN configured: 403 ADMIN_DISABLED (administration is off, whoever asks).
 * Otherwise `Authorization: Bearer <token>` must match: 401 UNAUTHORIZED if not.
 * Both sides are hashed first so the comparison takes the same time whatever the input.
 */
export function adminGuard(token: string | undefined): onRequestAsyncHookHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (request) => {
    if (!expected) throw new AppError('ADMIN_DISABLED');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) throw new AppError('UNAUTHORIZED');
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export interface AdminGuardOptions {
  /** ADMIN_TOKEN; undefined turns every admin route off (403). */
  token: string | undefined;
}

/**
 * The one guard of the admin routes (the v2 rollout, heap snapshots, the event generator,
 * and whatever else is registered with `onRequest: app.adminGuard`).
 */
export default fp<AdminGuardOptions>(
  async (app, { token }) => {
    app.decorate('adminGuard', adminGuard(token));
  },
  { name: 'admin-guard', dependencies: ['error-handler'] },
);
