import { createHash } from 'node:crypto';
import type { SessionRecord, SessionsRepository } from '@tandem/api/plugins/app/sessions-repository';
import { SESSION_COOKIE } from '@tandem/contract';

/** The one session the fixed-page API knows (43 base64url characters, as a real token). */
export const BENCH_SESSION_TOKEN = 'benchmark-session-token-0000000000000000000';
/** The `Cookie` every benchmark request to the fixed-page API sends. */
export const BENCH_SESSION_COOKIE = `${SESSION_COOKIE}=${BENCH_SESSION_TOKEN}`;

/**
 * The session lookup set aside with the data layer: one signed-in user whose session never
 * needs extending, found without a database. The chain's authentication hook still runs
 * on every request (cookie read, token hashed, lookup called); what a real lookup costs
 * is the auth-cost lab's measure. Anything else is refused, loudly.
 */
export function createFixedSessionRepository(): SessionsRepository {
  const id = createHash('sha256').update(BENCH_SESSION_TOKEN).digest('hex');
  const session = (): SessionRecord => ({
    id,
    user: {
      id: '00000000-0000-4000-8000-00000000be9c',
      email: 'bench@tandem.local',
      role: 'user',
      createdAt: new Date(0),
    },
    expiresAt: new Date(Date.now() + 86_400_000),
    lastSeenAt: new Date(),
  });
  const refuse = () => Promise.reject(new Error('fixed-page API: sessions are fixed'));
  return {
    find: (sessionId) => Promise.resolve(sessionId === id ? session() : null),
    create: refuse,
    extend: refuse,
    revoke: refuse,
    revokeAllOf: refuse,
  };
}
