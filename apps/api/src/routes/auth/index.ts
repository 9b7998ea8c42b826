import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';
import { chargeAccountAttempt } from './account-attempts.js';
import { checkPassword } from './check-password.js';

/**
 * `/api/v1/auth/…`: sign-up, sign-in, who am I, sign-out and sign-out everywhere. The
 * session itself (cookie, lookup, expiry) is plugins/app/authentication.ts.
 */
const auth: FastifyPluginAsync = async (app) => {
  app.route(
    contractRoute(endpoints.signUp, async (request, reply) => {
      const passwordHash = await app.passwordHasher.get().hash(request.body.password);
      const user = await app.usersRepository.create({ email: request.body.email, passwordHash, role: 'user' });
      if (user === 'email_taken') throw new AppError('EMAIL_TAKEN');
      return app.sessions.start(user, request, reply);
    }),
  );

  app.route(
    contractRoute(endpoints.signIn, async (request, reply) => {
      const { email, password } = request.body;
      // Before the hash: a refused attempt costs no password check.
      await chargeAccountAttempt(app, email);
      const user = await checkPassword(app, email, password);
      if (!user) throw new AppError('INVALID_CREDENTIALS');
      return app.sessions.start(user, request, reply);
    }),
  );

  app.route(
    contractRoute(endpoints.getMe, async (request) => {
      const account = request.account as NonNullable<typeof request.account>;
      return { user: account.user, expiresAt: account.expiresAt };
    }),
  );

  app.route(
    contractRoute(endpoints.signOut, async (request, reply) => ({
      sessionsEnded: await app.sessions.end(request, reply),
    })),
  );

  app.route(
    contractRoute(endpoints.signOutEverywhere, async (request, reply) => ({
      sessionsEnded: await app.sessions.endEverywhere(request, reply),
    })),
  );
};

export default auth;
