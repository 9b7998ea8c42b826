import { endpoints } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * Charges one sign-in attempt to the account's own bucket (`signInAccount`, keyed by the
 * e-mail), whatever client sends it: credential stuffing spread over many addresses
 * still meets it. The client's own bucket (`signIn`) was charged before the body was read.
 */
export async function chargeAccountAttempt(app: FastifyInstance, email: string): Promise<void> {
  if (!app.rateLimitPolicy.get().enforce) return;
  const decision = await app.rateLimiter.consume('signInAccount', `account:${email}`, 1);
  if (!decision || decision.allowed) return;
  app.metrics.rateLimitRejections.inc({ route: endpoints.signIn.path, bucket: 'signInAccount' });
  throw new AppError('RATE_LIMITED', {
    message: `Too many sign-in attempts for this account; retry in ${Math.ceil((decision.retryAfterMs ?? 0) / 1000)} s.`,
    ...(decision.retryAfterMs === undefined ? {} : { retryAfterMs: decision.retryAfterMs }),
  });
}
