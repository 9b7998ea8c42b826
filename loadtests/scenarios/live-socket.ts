// Live: hold the WebSocket a browser tab holds, answer pings, count presence and updates.
// k6 run -e PROFILE=load scenarios/live-socket.ts
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import ws from 'k6/ws';
import { config } from '../lib/config.ts';
import { profile } from '../lib/profiles.ts';
import { type Session, sessionHeaders, signIn, useSession } from '../lib/session.ts';

const liveMessages = new Counter('tandem_k6_live_messages');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  thresholds: {
    checks: ['rate>0.99'],
    ws_connecting: ['p(95)<500'],
    tandem_k6_live_messages: ['count>0'],
  },
};

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default function liveSocket(session: Session) {
  useSession(session);
  const url = `${config.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const res = ws.connect(url, { headers: { Origin: config.webOrigin, ...sessionHeaders() } }, (socket) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', page: '/orders' })));
    socket.on('message', (text) => {
      liveMessages.add(1);
      const message = JSON.parse(text) as { type?: string };
      check(message, { 'message has a type': (m) => typeof m.type === 'string' });
    });
    socket.setTimeout(() => socket.close(), 10_000);
  });
  check(res, { 'upgraded (101)': (r) => r !== null && r.status === 101 });
}
