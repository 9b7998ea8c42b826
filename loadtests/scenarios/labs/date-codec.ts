// Lab date-codec at protocol level: round-trip orders and check every timestamp on the
// wire is RFC 3339 in UTC and names the same instant each time it is read back.
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/date-codec.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/date-codec.ts
//
// Per iteration: create an order, read it back by id and find it in the newest page;
// every `createdAt` and every envelope `timestamp` must match RFC 3339 UTC
// (`2026-11-24T09:30:00.000Z`), the three `createdAt` must decode to the same instant,
// and that instant must fall within CLOCK_SLACK_MS of the client's clock around the
// create (a time read in the wrong zone is off by hours). The naive setting is expected
// to fail: its timestamps are database text without an offset.
import { check } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi, sampleOrder } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { commonThresholds, routeLatency } from '../../lib/thresholds.ts';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
/** Clock difference tolerated between k6 and the API (same machine or NTP-synced hosts). */
const CLOCK_SLACK_MS = 60_000;

const wrongTimestamps = new Counter('tandem_k6_date_codec_wrong_timestamps');
const timestampsOk = new Rate('tandem_k6_date_codec_timestamps_ok');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('date-codec'),
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 400, 800),
    ...routeLatency('/api/v1/orders/:id', 300, 600),
    tandem_k6_date_codec_wrong_timestamps: ['count==0'],
    tandem_k6_date_codec_timestamps_ok: ['rate==1'],
  },
};

export function setup(): LabSetupData {
  return switchLab('date-codec');
}

export function teardown(data: LabSetupData) {
  restoreLab('date-codec', data);
}

type Order = { id: string; createdAt: string };
type Envelope = { data: unknown; timestamp: string };

/** Counts one wire timestamp: RFC 3339 UTC and a real instant, or wrong. */
function wireInstant(text: unknown): number | null {
  const ok = typeof text === 'string' && RFC3339_UTC.test(text) && !Number.isNaN(Date.parse(text));
  timestampsOk.add(ok);
  if (!ok) wrongTimestamps.add(1);
  return ok ? Date.parse(text) : null;
}

export default function dateCodecLab() {
  const before = Date.now();
  const created = callApi('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder());
  const after = Date.now();
  const createdEnvelope = checkEnvelope(created.res, 201, created.requestId) as Envelope | null;
  const order = createdEnvelope?.data as Order | undefined;
  if (!createdEnvelope || !order) return;

  const readBack = callApi('GET', `/api/v1/orders/${order.id}`, '/api/v1/orders/:id');
  const readEnvelope = checkEnvelope(readBack.res, 200, readBack.requestId) as Envelope | null;
  const page = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  const pageEnvelope = checkEnvelope(page.res, 200, page.requestId) as Envelope | null;
  const listed = (pageEnvelope?.data as { items: Order[] } | undefined)?.items ?? [];

  for (const envelope of [createdEnvelope, readEnvelope, pageEnvelope]) if (envelope) wireInstant(envelope.timestamp);
  for (const other of listed) if (other.id !== order.id) wireInstant(other.createdAt);

  const instants = [
    order.createdAt,
    (readEnvelope?.data as Order | undefined)?.createdAt,
    // Under load other VUs' orders may push this one off the first page: then two reads.
    ...listed.filter((o) => o.id === order.id).map((o) => o.createdAt),
  ].map(wireInstant);
  check(instants, {
    'every createdAt read back names the same instant': (list) =>
      list.every((instant) => instant !== null && instant === list[0]),
    'createdAt is the time of the create (no zone shift)': (list) =>
      list[0] !== null && list[0] >= before - CLOCK_SLACK_MS && list[0] <= after + CLOCK_SLACK_MS,
  });
}
