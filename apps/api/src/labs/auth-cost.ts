import { scryptSync } from 'node:crypto';
import {
  createScryptHasher,
  SCRYPT_DEFAULTS,
  type ScryptFunction,
  scryptOptionsOf,
} from '../accounts/password-hasher.js';
import { defineLab } from './define-lab.js';

/**
 * scrypt's synchronous form: the same work, on the event loop. While one hash runs (the
 * product's parameters: hundreds of milliseconds), no other request of this process moves.
 */
export const scryptOnEventLoop: ScryptFunction = async (password, salt, keyLength, cost) =>
  scryptSync(password, salt, keyLength, scryptOptionsOf(cost));

/** The product's hasher (same parameters, same stored strings) running scrypt on the event loop. */
export const eventLoopScryptHasher = createScryptHasher(SCRYPT_DEFAULTS, scryptOnEventLoop);

/**
 * auth-cost: what authentication costs everyone else. Two seams: `app.passwordHasher`
 * (plugins/app/password-hasher.ts) and `app.sessionCachePolicy`, the session lookups
 * cache in front of the sessions table (plugins/app/sessions-repository.ts).
 */
export const authCostLab = defineLab('auth-cost', {
  // Sign-ins hash on the event loop, and every request looks its session up in the database.
  naive: (seams) => {
    seams.passwordHasher.set(eventLoopScryptHasher);
    seams.sessionCachePolicy.set({ ttlMs: 0 });
  },
  // The product: scrypt on libuv's thread pool, sessions answered from memory for
  // SESSION_CACHE_TTL_MS and dropped at once when they end.
  tuned: (seams) => {
    seams.passwordHasher.reset();
    seams.sessionCachePolicy.reset();
  },
});
