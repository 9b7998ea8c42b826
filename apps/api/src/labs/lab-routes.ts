import { LAB_CATALOGUE, LAB_IDS, type Lab, type LabId, labEndpoints } from '@tandem/contract/labs';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../contract-route.js';

/**
 * The labs as data (GET, public) and their run-time switches (PUT, admin: ADMIN_TOKEN):
 * the Lab console and `pnpm lab` flip a lab here, then measure.
 */
const labRoutes: FastifyPluginAsync = async (app) => {
  const lab = (id: LabId): Lab => ({
    id,
    title: LAB_CATALOGUE[id].title,
    mode: app.labs.mode(id),
    naive: LAB_CATALOGUE[id].naive,
    tuned: LAB_CATALOGUE[id].tuned,
    docs: `docs/labs/${id}.md`,
  });

  app.route(contractRoute(labEndpoints.listLabs, async () => ({ items: LAB_IDS.map(lab) })));

  app.route({
    ...contractRoute(labEndpoints.setLabMode, async (request) => {
      app.labs.set(request.params.id, request.body.mode);
      request.log.info({ lab: request.params.id, mode: request.body.mode }, 'lab mode set');
      return lab(request.params.id);
    }),
    onRequest: app.adminGuard,
  });
};

export default labRoutes;
