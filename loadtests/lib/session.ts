import http from 'k6/http';
import { config } from './config.ts';

/** The session the scenario's VUs share: made once in `setup()`, handed to every iteration. */
export interface Session {
  cookie: string;
}

const SESSION_COOKIE = '__Host-tandem_session';

/**
 * Signs in as `config.email` (the demo user by default) once, in a scenario's `setup()`:
 * every VU then sends the same session, so a load run does not meet the sign-in limits
 * (a few attempts per account and client, by design). Fails the run on any other answer.
 */
export function signIn(): Session {
  const res = http.post(
    `${config.baseUrl}/api/v1/auth/sign-in`,
    JSON.stringify({ email: config.email, password: config.password }),
    { headers: { 'Content-Type': 'application/json' }, tags: { name: 'sign-in (setup)' } },
  );
  const value = res.cookies[SESSION_COOKIE]?.[0]?.value;
  if (res.status !== 200 || !value) {
    throw new Error(`sign-in as ${config.email} answered ${res.status}: set DEMO_PASSWORD (and TANDEM_EMAIL)`);
  }
  return { cookie: `${SESSION_COOKIE}=${value}` };
}

let current: Session | undefined;

/** The first line of a scenario's default function: the VU's calls send this session from now on. */
export function useSession(session: Session): void {
  current = session;
}

/** The `Cookie` header of the session in use, for calls made outside `callApi` (streams, sockets). */
export function sessionHeaders(): Record<string, string> {
  return current ? { Cookie: current.cookie } : {};
}
