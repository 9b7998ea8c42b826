import { type Endpoint, endpoints } from '@tandem/contract';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

export interface MutationOriginOptions {
  /** CORS_ORIGINS: the origins whose pages may change things with the session cookie. */
  origins: readonly string[];
}

const kCheckOrigin = Symbol('check origin');

/**
 * The Origin check of the CSRF stance (docs/decisions/0013-password-hashing-and-sessions.md):
 * a mutation that rides on the session cookie (`auth: 'session'`), or that sets it
 * (sign-in, sign-up: no login CSRF), is refused with 403 ORIGIN_NOT_ALLOWED when it
 * comes from a page whose origin is not on the CORS allowlist. Browsers send `Origin` on
 * every POST, PATCH and PUT; a request without one is not from a browser page (curl,
 * k6, a server) and carries no ambient cookie to abuse, so it passes.
 */
export default fp<MutationOriginOptions>(
  async (app, { origins }) => {
    const allowed = new Set(origins);
    const checkOrigin: onRequestHookHandler = (request, _reply, done) => {
      const origin = request.headers.origin;
      if (origin === undefined || allowed.has(origin)) return done();
      done(new AppError('ORIGIN_NOT_ALLOWED', { message: `Origin ${origin} may not change anything here.` }));
    };
    Object.defineProperty(checkOrigin, kCheckOrigin, { value: true });

    const checked = checkedMutations();
    app.addHook('onRoute', (route) => {
      const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
      if (hooks.some((hook) => (hook as unknown as Record<symbol, unknown>)[kCheckOrigin])) return;
      if (!checked.has(`${[route.method].flat()[0]} ${route.url}`)) return;
      route.onRequest = [...hooks, checkOrigin];
    });
  },
  { name: 'mutation-origin', dependencies: ['error-handler', 'rate-limit'] },
);

function checkedMutations(): Set<string> {
  return new Set(
    (Object.values(endpoints) as Endpoint[])
      .filter((endpoint) => endpoint.method !== 'GET')
      .filter((endpoint) => endpoint.auth === 'session' || endpoint.tags.includes('auth'))
      .map((endpoint) => `${endpoint.method} ${endpoint.path}`),
  );
}
