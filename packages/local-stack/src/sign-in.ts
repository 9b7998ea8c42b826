import { endpoints, SESSION_COOKIE } from '@tandem/contract';
import { h2RequestOnce } from './h2-request.js';

/** The demo accounts the API seeds when DEMO_PASSWORD is set (apps/api/src/plugins/app/demo-accounts.ts). */
export const DEMO_USER_EMAIL = 'demo@tandem.local';
export const DEMO_ADMIN_EMAIL = 'admin@tandem.local';

/**
 * Signs in over HTTP/2 and answers the `Cookie` header value of the new session, for a
 * load client or a probe to send (`-H 'cookie: …'` for h2load). Throws on any other answer.
 */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const res = await h2RequestOnce(origin, {
    method: 'POST',
    path: endpoints.signIn.path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = [res.headers['set-cookie'] ?? []]
    .flat()
    .find((header) => header.startsWith(`${SESSION_COOKIE}=`) && !header.startsWith(`${SESSION_COOKIE}=;`));
  if (res.status !== 200 || !cookie) {
    throw new Error(`sign-in as ${email} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  }
  return cookie.split(';')[0] as string;
}
