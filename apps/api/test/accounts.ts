// Accounts for tests: made straight through the app's repositories (no HTTP, no rate
// limit), each with a live session whose cookie the test sends.
import { randomUUID } from 'node:crypto';
import { type Role, SESSION_COOKIE, type User } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import { createScryptHasher, SCRYPT_DEFAULTS } from '../src/accounts/password-hasher.js';
import { newSessionToken, sessionIdOf } from '../src/accounts/session-token.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * scrypt at N=2^10, p=1: the same code, a fraction of the work. The API tests prove what
 * the hasher is used for, not what it costs (accounts/password-hasher.test.ts runs the defaults).
 */
export const testPasswordHasher = createScryptHasher({ ...SCRYPT_DEFAULTS, logN: 10, p: 1 });

export interface TestAccount {
  user: User;
  /** `Cookie` header value that carries the account's session. */
  cookie: string;
  token: string;
}

export async function createAccount(
  app: FastifyInstance,
  { role = 'user', email = `${role}-${randomUUID()}@tandem.test` }: { role?: Role; email?: string } = {},
): Promise<TestAccount> {
  const passwordHash = await app.passwordHasher.get().hash(TEST_PASSWORD);
  const user = await app.usersRepository.create({ email, passwordHash, role });
  if (user === 'email_taken') throw new Error(`${email} exists already`);
  return { user, ...(await startSession(app, user)) };
}

/** Another live session of `user` (another device). */
export async function startSession(app: FastifyInstance, user: User): Promise<{ cookie: string; token: string }> {
  const token = newSessionToken();
  await app.sessionsRepository.get().create(sessionIdOf(token), user.id, new Date(Date.now() + 3_600_000));
  return { cookie: `${SESSION_COOKIE}=${token}`, token };
}

/** Gives `user` every order nobody owns (the template's seeded orders). */
export async function adoptUnownedOrders(app: FastifyInstance, user: User): Promise<void> {
  await app.db.query('test.adopt', 'UPDATE orders SET owner_id = $1 WHERE owner_id IS NULL', [user.id]);
}
