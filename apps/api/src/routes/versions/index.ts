import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';

/**
 * Which API version a client should use (GET /api/version, sets the sticky bucket
 * cookie), the rollout as data (GET /api/v1/rollout) and its switch (PUT
 * /api/v1/admin/rollout, an admin route: ADMIN_TOKEN). See docs/versioning.md.
 */
const versions: FastifyPluginAsync = async (app) => {
  app.route(contractRoute(endpoints.getVersion, async (request, reply) => app.rollout.assign(request, reply)));

  app.route(contractRoute(endpoints.getRollout, async () => app.rollout.state()));

  app.route({
    ...contractRoute(endpoints.setRollout, async (request) => {
      const state = app.rollout.set(request.body);
      request.log.info({ change: request.body, rollout: state }, 'rollout set');
      return state;
    }),
    onRequest: app.adminGuard,
  });
};

export default versions;
