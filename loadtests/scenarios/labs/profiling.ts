// Lab profiling, the server half at protocol level: the customers report under load,
// naive (localeCompare with a locale and options: a collator per comparison) vs tuned
// (one Intl.Collator). Compare http_req_duration and the API's own CPU per answer across
// two runs, one per LAB_MODE; the report is only as long as the customers the database
// holds (the seed has 12: create more, or run `pnpm lab profiling`, which creates
// thousands and also traces the SPA's half in Chromium).
// k6 run -e PROFILE=load -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/profiling.ts
// k6 run -e PROFILE=load -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/profiling.ts
//
// Server CPU per answer = the change of the API's process_cpu_seconds_total over the run
// divided by the change of its tandem_http_requests_total for GET /api/v1/reports/customers,
// both read from /metrics in setup() and teardown() (METRICS_ENABLED=true; only clean when
// nothing else loads the API), reported as the gauge tandem_k6_server_cpu_ms_per_answer.
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

const ROUTE = '/api/v1/reports/customers';
const cpuPerAnswer = new Gauge('tandem_k6_server_cpu_ms_per_answer');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('profiling'),
  thresholds: {
    ...commonThresholds,
    ...routeLatency(ROUTE, 500, 1000),
  },
};

interface ProfilingSetup extends LabSetupData {
  cpuSeconds: number | null;
  answers: number | null;
}

const REPORT_SERIES = [`route="${ROUTE}"`, 'method="GET"'];

export function setup(): ProfilingSetup {
  const lab = switchLab('profiling');
  return {
    ...lab,
    cpuSeconds: readServerMetric('process_cpu_seconds_total'),
    answers: readServerMetric('tandem_http_requests_total', REPORT_SERIES),
  };
}

export default function profilingLab() {
  const { res, requestId } = callApi('GET', ROUTE, ROUTE);
  checkEnvelope(res, 200, requestId);
  sleep(0.1);
}

export function teardown(data: ProfilingSetup) {
  const cpuSeconds = readServerMetric('process_cpu_seconds_total');
  const answers = readServerMetric('tandem_http_requests_total', REPORT_SERIES);
  if (data.cpuSeconds !== null && cpuSeconds !== null && data.answers !== null && answers !== null) {
    if (answers > data.answers) cpuPerAnswer.add(((cpuSeconds - data.cpuSeconds) * 1000) / (answers - data.answers));
  }
  restoreLab('profiling', data);
}
