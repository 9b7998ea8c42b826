import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';

const health: FastifyPluginAsync = async (app) => {
  app.route(contractRoute(endpoints.health, async () => ({ status: 'ok' as const, uptimeSeconds: process.uptime() })));

  app.route(
    contractRoute(endpoints.ready, async () => {
      // Out of rotation from the start of a shutdown: the balancer stops sending before the server closes.
      if (app.shutdownDrain.draining) throw new AppError('NOT_READY', { message: 'The API is shutting down.' });
      // Out of rotation while shedding, so a load balancer sends the traffic elsewhere.
      if (app.loadShedding.shedding) throw new AppError('OVERLOADED', { message: 'The API is shedding load.' });
      try {
        await app.db.query('health.ready', 'SELECT 1');
      } catch (error) {
        throw new AppError('NOT_READY', { message: 'The database does not answer.', cause: error });
      }
      return { status: 'ready' as const, database: app.db.kind };
    }),
  );
};

export default health;
