import type { FastifyInstance } from 'fastify';
import { contentSecurityPolicy } from './content-security-policy.js';

/**
 * The headers every answer carries, files and errors alike: the CSP, a browsing context
 * group of its own (COOP: no cross-origin window keeps a handle on the app's), and no
 * content-type sniffing.
 */
export function addSecurityHeaders(
  app: FastifyInstance,
  apiOrigins: readonly string[],
  styleHashes: readonly string[] = [],
): void {
  const headers = {
    'content-security-policy': contentSecurityPolicy(apiOrigins, styleHashes),
    'cross-origin-opener-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  };
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
}
