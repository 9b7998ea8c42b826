// Lab heartbeat at protocol level: WebSocket peers that go silent without closing, and
// how long the server keeps them.
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/heartbeat.ts
// k6 run -e LAB_MODE=naive -e WS_PING_INTERVAL_MS=1000 -e WS_PONG_TIMEOUT_MS=1000 scenarios/labs/heartbeat.ts
//
// How a k6 peer goes silent: k6/ws answers the server's pings from the same loop that runs
// the script's socket callbacks, so a callback that blocks in sleep() stops the pongs
// while the TCP connection stays up: a paused process, as a sleeping laptop or a NAT that
// dropped the flow looks to the server. A silent peer cannot watch its own socket, so VU 1
// watches the server instead: it polls `tandem_ws_connections_open` on /metrics (every
// POLL_MS) and records how long after the peers went quiet the gauge fell by their
// number. Run it against an API no one else is using: other sockets move the gauge too.
// The naive setting is expected to fail its thresholds: the peers are never freed.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import ws from 'k6/ws';
import { newRequestId } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { readServerMetric } from '../../lib/server-metrics.ts';

/** Peers that go silent (VUs 2…N+1); VU 1 is the watcher. */
const SILENT_PEERS = 5;
/** When the peers go quiet, from the start of the scenario: time to connect first. */
const QUIET_AT_MS = 3_000;
/** A tuned server frees a silent peer within one ping interval plus the pong deadline. */
const DEADLINE_MS = config.wsPingIntervalMs + config.wsPongTimeoutMs;
/** How long the peers stay silent: the server's deadline and a margin. */
const SILENCE_MS = DEADLINE_MS + 5_000;
const POLL_MS = 250;

const freedAfter = new Trend('tandem_k6_heartbeat_freed_after_ms', true);
const peersFreed = new Rate('tandem_k6_heartbeat_peers_freed');

export const options: Options = {
  insecureSkipTLSVerify: true,
  tags: labTags('heartbeat'),
  scenarios: {
    peers: {
      executor: 'per-vu-iterations',
      vus: SILENT_PEERS + 1,
      iterations: 1,
      maxDuration: `${Math.ceil((QUIET_AT_MS + SILENCE_MS) / 1000) + 30}s`,
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    ws_connecting: ['p(95)<500'],
    tandem_k6_heartbeat_peers_freed: ['rate>0.99'],
    tandem_k6_heartbeat_freed_after_ms: [`max<${DEADLINE_MS + 1_000}`],
  },
};

export function setup(): LabSetupData {
  return switchLab('heartbeat');
}

export function teardown(data: LabSetupData) {
  restoreLab('heartbeat', data);
}

export default function heartbeatLab() {
  const quietAt = exec.scenario.startTime + QUIET_AT_MS;
  if (exec.vu.idInTest === 1) watchServer(quietAt);
  else goSilent(quietAt);
}

/** One peer: connect, say hello, then block its socket loop (no pongs) for SILENCE_MS. */
function goSilent(quietAt: number) {
  let closingOurselves = false;
  const url = `${config.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const res = ws.connect(url, { headers: { Origin: config.webOrigin, 'X-Request-ID': newRequestId() } }, (socket) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'hello', page: '/orders' }));
      socket.setTimeout(
        () => {
          sleep(SILENCE_MS / 1000); // the socket loop is blocked: pings queue unanswered
          // Still open after the silence: give a close already under way a moment to arrive.
          socket.setTimeout(() => {
            closingOurselves = true;
            socket.close();
          }, 1_000);
        },
        Math.max(1, quietAt - Date.now()),
      );
    });
    socket.on('close', () => peersFreed.add(!closingOurselves));
  });
  check(res, { 'upgraded (101)': (r) => r !== null && r.status === 101 });
}

/** The server's view: the open-WebSocket gauge from just before the silence until it falls by SILENT_PEERS. */
function watchServer(quietAt: number) {
  sleep(Math.max(0, quietAt - 500 - Date.now()) / 1000);
  const before = openSockets();
  check(before, { 'gauge read, every peer connected': (n) => n !== null && n >= SILENT_PEERS });
  if (before === null) return;
  while (Date.now() < quietAt + SILENCE_MS) {
    const now = openSockets();
    if (now !== null && now <= before - SILENT_PEERS) {
      freedAfter.add(Math.max(0, Date.now() - quietAt));
      return;
    }
    sleep(POLL_MS / 1000);
  }
}

function openSockets(): number | null {
  return readServerMetric('tandem_ws_connections_open');
}
