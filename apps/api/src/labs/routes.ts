import { endpoints } from '@tandem/contract';
import { LAB_CATALOGUE, LAB_IDS, type Lab, type LabId, labEndpoints } from '@tandem/contract/labs';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../contract-route.js';
import { adminGuard } from './admin-guard.js';

export interface LabRoutesOptions {
  labAdminToken: string | undefined;
}

/**
 * The labs as data (GET, public) and their run-time switches (PUT, admin): the Lab
 * console and `pnpm lab` flip a lab here, then measure.
 */
const labRoutes: FastifyPluginAsync<LabRoutesOptions> = async (app, { labAdminToken }) => {
  const lab = (id: LabId): Lab => ({
    id,
    title: LAB_CATALOGUE[id].title,
    mode: app.labs.mode(id),
    naive: LAB_CATALOGUE[id].naive,
    tuned: LAB_CATALOGUE[id].tuned,
    docs: `docs/labs/${id}.md`,
  });
  const onRequest = adminGuard(labAdminToken);

  app.route(contractRoute(labEndpoints.listLabs, async () => ({ items: LAB_IDS.map(lab) })));

  app.route({
    ...contractRoute(labEndpoints.setLabMode, async (request) => {
      app.labs.set(request.params.id, request.body.mode);
      request.log.info({ lab: request.params.id, mode: request.body.mode }, 'lab mode set');
      return lab(request.params.id);
    }),
    onRequest,
  });

  app.route({
    ...contractRoute(endpoints.setEventGenerator, async (request) => {
      const settings = app.eventGenerator.set(request.body);
      request.log.info(settings, 'event generator set');
      return settings;
    }),
    onRequest,
  });
};

export default labRoutes;
