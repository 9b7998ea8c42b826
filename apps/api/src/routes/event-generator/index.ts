import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';

/**
 * `PUT /api/v1/admin/event-generator` (admin: ADMIN_TOKEN): starts, changes or stops the
 * synthetic `generator.tick` events (plugins/app/event-generator.ts) that load tests and
 * benchmarks put on the event stream and the WebSocket.
 */
const eventGenerator: FastifyPluginAsync = async (app) => {
  app.route({
    ...contractRoute(endpoints.setEventGenerator, async (request) => {
      const settings = app.eventGenerator.set(request.body);
      request.log.info(settings, 'event generator set');
      return settings;
    }),
    onRequest: app.adminGuard,
  });
};

export default eventGenerator;
