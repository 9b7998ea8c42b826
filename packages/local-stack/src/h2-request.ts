import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from 'node:http2';

export interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on an open HTTP/2 session (the dev certificate is self-signed). */
export function h2Request(
  session: ClientHttp2Session,
  request: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': request.method ?? 'GET',
      ':path': request.path,
      ...request.headers,
    });
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    stream.end(request.body);
  });
}

export function openH2Session(origin: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(origin, { rejectUnauthorized: false });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

/** Opens a session, sends one request, closes the session. */
export async function h2RequestOnce(origin: string, request: Parameters<typeof h2Request>[1]): Promise<H2Response> {
  const session = await openH2Session(origin);
  try {
    return await h2Request(session, request);
  } finally {
    session.close();
  }
}
