import type { CurrentSession } from '@tandem/contract';

/**
 * Who is signed in, as the "who am I" query holds it: the session, `null` once the API has
 * said there is none (a 401, a sign-out), `undefined` while nobody has asked yet.
 */
export type SessionState = CurrentSession | null;

/**
 * The query key of "who am I" (GET /api/v1/auth/me). A module of its own, without the
 * contract's schemas, so the route guard and the header read the state from the first
 * chunk; api/session.queries.ts, loaded later, fetches it.
 */
export const sessionQueryKey = ['session'] as const;
