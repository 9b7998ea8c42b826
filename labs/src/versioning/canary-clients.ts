import { type ClientHttp2Session, connect } from 'node:http2';
import { type ApiVersion, CANARY_BUCKET_COOKIE } from '@tandem/contract';

/** One API call a simulated user made, as the user saw it. */
export interface UserCall {
  /** Date.now() when the answer (or the failure) arrived. */
  at: number;
  version: ApiVersion;
  /** HTTP status; 0 when no answer came (transport failure). */
  status: number;
}

export interface CanaryClientsOptions {
  origin: string;
  /** The session cookie (`__Host-tandem_session=…`) every client sends beside its bucket cookie: the orders need an account. */
  session: string;
  clients: number;
  /** Each client asks GET /api/version this often (the SPA would at start; here every second). */
  checkEveryMs: number;
  /** Mean pause between a client's orders calls (jittered ±50 %). */
  callEveryMs: number;
  /** Order ids for the get-by-id half of the mix. */
  orderIds: readonly string[];
  /** Cookies from an earlier run, so the same users (the same buckets) come back. */
  cookies?: readonly (string | undefined)[];
}

export interface CanaryClients {
  calls: UserCall[];
  /** How many clients are on each version, as of their last check. */
  onVersion(): Record<ApiVersion, number>;
  /** The bucket cookie of each client (`tandem_canary_bucket=NN`), for the next run. */
  cookies(): (string | undefined)[];
  stop(): Promise<void>;
}

interface Client {
  cookie?: string;
  version: ApiVersion;
}

const SESSIONS = 4;

/**
 * Simulated users of the SPA, each with its own bucket cookie (the server picks the bucket
 * on the first GET /api/version, the client sends it back from then on): every
 * `checkEveryMs` a client re-reads its version, and in between calls
 * /api/<version>/orders — a page of the list or one order, alternately — like the SPA's
 * list and detail pages. Four HTTP/2 connections carry them all.
 */
export function startCanaryClients(options: CanaryClientsOptions): CanaryClients {
  const sessions: ClientHttp2Session[] = Array.from({ length: SESSIONS }, () => {
    const session = connect(options.origin, { rejectUnauthorized: false });
    session.on('error', () => {});
    return session;
  });
  const clients: Client[] = Array.from({ length: options.clients }, (_, index) => ({
    cookie: options.cookies?.[index],
    version: 'v1',
  }));
  const calls: UserCall[] = [];
  let running = true;

  const get = (index: number, path: string, cookie?: string) =>
    new Promise<{ status: number; body: string; setCookie: string[] }>((resolve) => {
      const session = sessions[index % SESSIONS];
      if (!session || session.closed || session.destroyed) {
        resolve({ status: 0, body: '', setCookie: [] });
        return;
      }
      const stream = session.request({
        ':path': path,
        cookie: cookie ? `${options.session}; ${cookie}` : options.session,
      });
      let status = 0;
      let setCookie: string[] = [];
      let body = '';
      stream.setEncoding('utf8');
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        setCookie = (headers['set-cookie'] as string[] | undefined) ?? [];
      });
      stream.on('data', (chunk: string) => {
        body += chunk;
      });
      stream.on('end', () => resolve({ status, body, setCookie }));
      stream.on('error', () => resolve({ status: 0, body, setCookie }));
      stream.end();
    });

  const checkVersion = async (client: Client, index: number) => {
    const answer = await get(index, '/api/version', client.cookie);
    const bucket = answer.setCookie
      .map((line) => line.split(';')[0])
      .find((pair) => pair?.startsWith(`${CANARY_BUCKET_COOKIE}=`));
    if (bucket) client.cookie = bucket;
    if (answer.status === 200)
      client.version = (JSON.parse(answer.body) as { data: { version: ApiVersion } }).data.version;
  };

  const run = async (client: Client, index: number) => {
    let nextCheck = 0;
    for (let turn = index; running; turn++) {
      if (Date.now() >= nextCheck) {
        nextCheck = Date.now() + options.checkEveryMs;
        await checkVersion(client, index);
      }
      const version = client.version;
      const id = options.orderIds[turn % options.orderIds.length];
      const path = turn % 2 === 0 || !id ? `/api/${version}/orders?limit=10` : `/api/${version}/orders/${id}`;
      const { status } = await get(index, path, client.cookie);
      if (running) calls.push({ at: Date.now(), version, status });
      await new Promise((resolve) => setTimeout(resolve, options.callEveryMs * (0.5 + Math.random())));
    }
  };
  const loops = clients.map((client, index) =>
    // Spread the first calls over one pause, not all at once.
    new Promise((resolve) => setTimeout(resolve, Math.random() * options.callEveryMs)).then(() => run(client, index)),
  );

  return {
    calls,
    onVersion: () => ({
      v1: clients.filter((client) => client.version === 'v1').length,
      v2: clients.filter((client) => client.version === 'v2').length,
    }),
    cookies: () => clients.map((client) => client.cookie),
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(sessions.map((session) => new Promise<void>((resolve) => session.close(() => resolve()))));
    },
  };
}
