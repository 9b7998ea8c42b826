import { check } from 'k6';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { config } from './config.ts';

type Envelope = { code: number; message: string; data: unknown; timestamp: string };

/**
 * Checks every Tandem answer shares: status, protocol (EXPECT_PROTO unless the caller
 * targets another listener), envelope shape, echoed request id.
 */
export function checkEnvelope(
  res: RefinedResponse<ResponseType | undefined>,
  expectedStatus: number,
  requestId: string,
  expectedProto: string = config.expectProto,
): Envelope | null {
  let envelope: Envelope | null = null;
  try {
    envelope = res.json() as unknown as Envelope;
  } catch {
    envelope = null;
  }
  check(res, {
    [`status is ${expectedStatus}`]: (r) => r.status === expectedStatus,
    [`protocol is ${expectedProto}`]: (r) => r.proto === expectedProto,
    'envelope has code, message, data, timestamp': () =>
      envelope !== null &&
      typeof envelope.code === 'number' &&
      envelope.data !== null &&
      typeof envelope.timestamp === 'string',
    'X-Request-ID echoed': (r) => r.headers['X-Request-Id'] === requestId,
  });
  return envelope;
}

let sequence = 0;
/** A request id in the API's accepted alphabet, unique per VU and iteration. */
export function newRequestId(): string {
  sequence += 1;
  return `k6-${__VU}-${__ITER}-${sequence}`;
}
