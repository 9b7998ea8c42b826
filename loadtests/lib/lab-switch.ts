import http from 'k6/http';
import type { Options } from 'k6/options';
import { newRequestId } from './checks.ts';
import { config, type LabMode } from './config.ts';

/** The labs with a run-time switch (LAB_CATALOGUE in packages/contract/src/labs/catalogue.ts) a k6 script drives. */
export type SwitchedLab =
  | 'h2-sse'
  | 'heartbeat'
  | 'cors-preflight'
  | 'serialization'
  | 'date-codec'
  | 'request-id'
  | 'batch-weight'
  | 'timeout'
  | 'retry-429'
  | 'versioning'
  | 'profiling'
  | 'auth-cost';

/** What setup() hands teardown(): the mode to put back, or nothing when the switch was not touched. */
export interface LabSetupData {
  restore: LabMode | null;
}

/**
 * `lab` and `mode` on every sample of the run (requests, checks, custom metrics), so one
 * Prometheus or summary view holds both settings apart.
 */
export function labTags(lab: string): NonNullable<Options['tags']> {
  return { lab, mode: config.labMode };
}

/**
 * For setup(): with ADMIN_TOKEN, reads the lab's current mode and flips it to
 * LAB_MODE (PUT /api/v1/admin/labs/:id). Without a token the API keeps whatever it runs
 * with (LAB_MODE_<ID> or the Lab console): the `mode` tag then only names what you set.
 */
export function switchLab(lab: SwitchedLab): LabSetupData {
  if (!config.adminToken) return { restore: null };
  const list = http.get(`${config.baseUrl}/api/v1/labs`, {
    headers: { 'X-Request-ID': newRequestId() },
    tags: { route: '/api/v1/labs', name: 'GET /api/v1/labs' },
  });
  const current = (list.json('data.items') as { id: string; mode: LabMode }[] | undefined)?.find((l) => l.id === lab);
  if (list.status !== 200 || !current) throw new Error(`GET /api/v1/labs answered ${list.status} without lab ${lab}`);
  setMode(lab, config.labMode);
  return { restore: current.mode };
}

/** For teardown(): puts the lab back as setup() found it. */
export function restoreLab(lab: SwitchedLab, data: LabSetupData) {
  if (data.restore && data.restore !== config.labMode) setMode(lab, data.restore);
}

function setMode(lab: SwitchedLab, mode: LabMode) {
  const res = http.put(`${config.baseUrl}/api/v1/admin/labs/${lab}`, JSON.stringify({ mode }), {
    headers: {
      Authorization: `Bearer ${config.adminToken}`,
      'Content-Type': 'application/json',
      'X-Request-ID': newRequestId(),
    },
    tags: { route: '/api/v1/admin/labs/:id', name: 'PUT /api/v1/admin/labs/:id' },
  });
  if (res.status !== 200)
    throw new Error(`PUT /api/v1/admin/labs/${lab} {mode: ${mode}} answered ${res.status}: ${res.body}`);
}
