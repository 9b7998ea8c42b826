// Lab serialization at protocol level: the orders list under load, naive (Zod encode +
// JSON.stringify per answer) vs tuned (compiled serializer). Compare http_req_duration
// and the API's own CPU per answer across two runs, one per LAB_MODE.
// k6 run -e PROFILE=load -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/serialization.ts
// k6 run -e PROFILE=load -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/serialization.ts
//
// Server CPU per answer = the change of the API's process_cpu_seconds_total over the run
// divided by the change of its tandem_http_requests_total for GET /api/v1/orders, both
// read from /metrics in setup() and teardown() (so it needs METRICS_ENABLED=true, and it
// is only clean when nothing else loads the API). It lands in the summary as the gauge
// tandem_k6_server_cpu_ms_per_answer. `pnpm lab serialization` pins the processes to
// cores and interleaves the runs; this script is the same question under a k6 profile.
import { sleep } from 'k6';
import { Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { readServerMetric } from '../../lib/server-metrics.ts';
import { commonThresholds, routeLatency } from '../../lib/thresholds.ts';

const cpuPerAnswer = new Gauge('tandem_k6_server_cpu_ms_per_answer');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('serialization'),
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 300, 500),
  },
};

interface SerializationSetup extends LabSetupData {
  cpuSeconds: number | null;
  answers: number | null;
}

const LIST_SERIES = ['route="/api/v1/orders"', 'method="GET"'];

export function setup(): SerializationSetup {
  const lab = switchLab('serialization');
  return {
    ...lab,
    cpuSeconds: readServerMetric('process_cpu_seconds_total'),
    answers: readServerMetric('tandem_http_requests_total', LIST_SERIES),
  };
}

export default function serializationLab() {
  const { res, requestId } = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  checkEnvelope(res, 200, requestId);
  sleep(0.1);
}

export function teardown(data: SerializationSetup) {
  const cpuSeconds = readServerMetric('process_cpu_seconds_total');
  const answers = readServerMetric('tandem_http_requests_total', LIST_SERIES);
  // Absent from /metrics (METRICS_ENABLED=false): the gauge stays out of the summary.
  if (data.cpuSeconds !== null && cpuSeconds !== null && data.answers !== null && answers !== null) {
    if (answers > data.answers) cpuPerAnswer.add(((cpuSeconds - data.cpuSeconds) * 1000) / (answers - data.answers));
  }
  restoreLab('serialization', data);
}
