import { endpoints, RUM_MAX_BATCH_BYTES } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { parseJsonBody } from '../../json-body-parser.js';
import { createRumRecorder } from './rum-recorder.js';

/**
 * `POST /api/v1/rum`: the SPA's batches of web vitals and API-call timings, recorded as
 * tandem_rum_* series. Each api-call sample is also one log line (`rum api-call`, the
 * sample under `rum`) so `pnpm trace <request-id>` finds the browser's side of a request.
 */
const rum: FastifyPluginAsync = async (app) => {
  // navigator.sendBeacon sends a text Blob as text/plain: CORS-safelisted, so no preflight.
  // The app refuses text/plain everywhere else; this plugin is encapsulated, so the parser
  // is this route's only. The API's JSON parser: the same MALFORMED_JSON / EMPTY_BODY.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, parseJsonBody);

  const recorder = createRumRecorder(app.metrics);

  app.route({
    ...contractRoute(endpoints.ingestRum, async (request) => {
      for (const sample of request.body.samples) {
        recorder.record(sample);
        if (sample.type === 'api-call') request.log.info({ rum: sample, app: request.body.app }, 'rum api-call');
      }
      return { accepted: request.body.samples.length };
    }),
    bodyLimit: RUM_MAX_BATCH_BYTES,
  });
};

export default rum;
