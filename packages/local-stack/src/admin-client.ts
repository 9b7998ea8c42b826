import { request } from 'node:https';
/**
 * Calls the API's admin routes with the run's ADMIN_TOKEN (RunningApi.adminToken): `put`
 * for any of them, and the event generator by name.
 */
export function createAdminClient(origin: string, token: string) {
  const put = (path: string, body: unknown) => sendJson('PUT', `${origin}${path}`, body, token);
  return {
    put,
    setGenerator: (eventsPerSecond: number, payloadBytes = 0) =>
      put('/api/v1/admin/event-generator', { eventsPerSecond, payloadBytes }),
  };
}
export type AdminClient = ReturnType<typeof createAdminClient>;

/** A JSON call over HTTPS (HTTP/1.1), with a bearer token when given; a non-2xx answer throws with its body. */
export function sendJson(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${url} → ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
