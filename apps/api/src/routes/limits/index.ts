import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';

/** `GET /api/v1/limits`: the limits this API enforces right now, for clients to pace themselves by. */
const limits: FastifyPluginAsync = async (app) => {
  app.route(
    contractRoute(endpoints.getLimits, async () => ({
      rateLimits: app.rateLimiter.limits(),
      deadlines: app.deadlines,
    })),
  );
};

export default limits;
