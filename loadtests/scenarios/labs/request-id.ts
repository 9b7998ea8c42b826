// Lab request-id at protocol level: every call sends X-Request-ID; the answer must name
// the same id (the one the API logged) and carry its Server-Timing.
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/request-id.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/request-id.ts
//
// Per iteration: a page of orders and one order by id. Tuned echoes each id and sends
// `Server-Timing: app;dur=…, db;dur=…`; the naive setting is expected to fail the echo
// threshold: the API keeps its id to itself, so a client cannot name the server's record
// of its call (the browser side of this lab is `pnpm lab request-id`).
import { Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { commonThresholds, routeLatency } from '../../lib/thresholds.ts';

const SERVER_TIMING = /(^|,\s*)app;dur=\d+(\.\d+)?/;

const idEchoed = new Rate('tandem_k6_request_id_echoed');
const serverTimingSent = new Rate('tandem_k6_request_id_server_timing');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('request-id'),
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 400, 800),
    ...routeLatency('/api/v1/orders/:id', 300, 600),
    tandem_k6_request_id_echoed: ['rate==1'],
    tandem_k6_request_id_server_timing: ['rate==1'],
  },
};

export function setup(): LabSetupData {
  return switchLab('request-id');
}

export function teardown(data: LabSetupData) {
  restoreLab('request-id', data);
}

type Page = { items: { id: string }[] };

function judge(call: ReturnType<typeof callApi>) {
  const echoed = call.res.headers['X-Request-Id'];
  const timing = call.res.headers['Server-Timing'];
  idEchoed.add(echoed === call.requestId);
  serverTimingSent.add(typeof timing === 'string' && SERVER_TIMING.test(timing));
}

export default function requestIdLab() {
  const page = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  judge(page);
  // checkEnvelope also checks 'X-Request-ID echoed'.
  const first = (checkEnvelope(page.res, 200, page.requestId) as { data: Page } | null)?.data.items[0];
  if (!first) return;
  const one = callApi('GET', `/api/v1/orders/${first.id}`, '/api/v1/orders/:id');
  judge(one);
  checkEnvelope(one.res, 200, one.requestId);
}
