import type { User } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';

/** A hash of a password nobody has, made once: what an unknown e-mail's attempt is checked against. */
let decoy: Promise<string> | undefined;

/**
 * The user whose e-mail and password these are, or null. An unknown e-mail costs a
 * password check too (against a decoy hash), so the time of the answer does not tell
 * whether the account exists; the answer itself is the same INVALID_CREDENTIALS.
 */
export async function checkPassword(app: FastifyInstance, email: string, password: string): Promise<User | null> {
  const hasher = app.passwordHasher.get();
  const found = await app.usersRepository.findByEmail(email);
  if (!found) {
    decoy ??= hasher.hash(crypto.randomUUID());
    await hasher.verify(password, await decoy);
    return null;
  }
  return (await hasher.verify(password, found.passwordHash)) ? found.user : null;
}
