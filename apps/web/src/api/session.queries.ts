import { coreEndpoints, type SignInBody, type SignUpBody } from '@tandem/contract';
import { useMutation, useQueryClient } from '@tanstack/vue-query';
import { replaceSessionInCache } from '../session/replace-session-in-cache';
import type { SessionState } from '../session/session-query-key';
import { ApiError } from './api-error';
import { call } from './client';
import { whenApiVersionActive } from './versions/active-api-version';

/**
 * Who am I (GET /api/v1/auth/me): the signed-in session, or `null` when the API says there
 * is none (401 UNAUTHENTICATED: not an error, an answer). The query that holds it is
 * composables/useSession.ts, which loads this module only when it asks.
 */
export async function fetchSession(signal?: AbortSignal): Promise<SessionState> {
  // Not versioned, but no call goes out before the tab's version check (active-api-version.ts).
  await whenApiVersionActive();
  try {
    return await call(coreEndpoints.getMe, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.name === 'UNAUTHENTICATED') return null;
    throw error;
  }
}

/** Signs in (POST /api/v1/auth/sign-in); the API sets the session cookie, the cache starts over with the session. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SignInBody) => {
      await whenApiVersionActive();
      return call(coreEndpoints.signIn, { body });
    },
    onSuccess: (session) => replaceSessionInCache(queryClient, session),
  });
}

/** Creates an account and signs it in (POST /api/v1/auth/sign-up). */
export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SignUpBody) => {
      await whenApiVersionActive();
      return call(coreEndpoints.signUp, { body });
    },
    onSuccess: (session) => replaceSessionInCache(queryClient, session),
  });
}

/**
 * Signs out this session, or every session of the account (`everywhere`). The cache is
 * emptied and the session set to `null` whatever the answer: a 401 means it had already
 * ended, and after a network failure the person still asked to leave this tab signed out.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ everywhere }: { everywhere: boolean }) => {
      try {
        return await call(everywhere ? coreEndpoints.signOutEverywhere : coreEndpoints.signOut);
      } catch (error) {
        if (error instanceof ApiError && error.name === 'UNAUTHENTICATED') return { sessionsEnded: 0 };
        throw error;
      } finally {
        replaceSessionInCache(queryClient, null);
      }
    },
  });
}
