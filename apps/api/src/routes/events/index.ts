import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { ownerScope } from '../../accounts/owner-scope.js';
import type { LiveConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { LiveEventBus, type SseOutput } from '../../plugins/app/live-events.js';

export interface EventsRouteOptions {
  live: Readonly<LiveConfig>;
}

/** Errors on a stream the bus already let go of (a reset from the client, a write after close) end there. */
const ignore = () => {};

/**
 * `GET /api/v1/events`: Server-Sent Events over HTTP/2 or HTTP/1.1 (both listeners).
 * The reply is hijacked, so onSend hooks do not run: the headers the earlier hooks set
 * (X-Request-ID, CORS, Timing-Allow-Origin) are copied onto the stream's head here.
 */
const events: FastifyPluginAsync<EventsRouteOptions> = async (app, { live }) => {
  app.route({
    method: endpoints.orderEvents.method,
    url: endpoints.orderEvents.path,
    async handler(request, reply) {
      const lastEventId = LiveEventBus.parseLastEventId(request.headers['last-event-id']);
      if (lastEventId === null) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'Invalid headers.last-event-id: expected the decimal id of an event this stream sent',
          issues: [{ path: 'headers.last-event-id', message: 'Expected a decimal event id' }],
        });
      }

      // A user's stream carries the events of its own orders (and the public ones); an admin's every event.
      const viewer = ownerScope(request.account, 'read', 'order');
      // With a relay (several replicas) a resume may wait for it or read its history first;
      // what follows runs in the same turn as it resolves, so no flush falls in between.
      const opening = await app.liveEvents.openingFor(lastEventId, live.sseRetryMs, viewer);
      const raw = reply.raw as ServerResponse | Http2ServerResponse;
      reply.hijack();
      // The client left while the opening was read: there is no stream to add.
      if ('stream' in raw ? raw.stream.destroyed : raw.destroyed) return;
      // Both kinds of response have writeHead and write; their overloads do not unify in a union.
      const head = raw as ServerResponse;
      head.writeHead(200, {
        ...reply.getHeaders(),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Proxies such as nginx would otherwise hold the events back in a buffer.
        'x-accel-buffering': 'no',
      } as OutgoingHttpHeaders);
      // The first write goes through the response (it sends the head); later ones go
      // straight to the HTTP/2 stream, skipping the compatibility layer.
      head.write(opening);
      const output: SseOutput = 'stream' in raw ? raw.stream.on('error', ignore) : raw.on('error', ignore);
      raw.once('close', () => app.liveEvents.removeStream(output));
      app.liveEvents.addStream(output, viewer);
    },
  });
};

export default events;
