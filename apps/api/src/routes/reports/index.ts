import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { ownerScope } from '../../accounts/owner-scope.js';
import { contractRoute } from '../../contract-route.js';

/** The reports aggregate every order: only a role that may read `any` report (an admin) gets them; others a 403. */
const reports: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', async (request) => {
    ownerScope(request.account, 'read', 'report');
  });
  app.route(
    contractRoute(endpoints.getOrdersReport, (request) => app.reportsRepository.ordersReport(request.deadline)),
  );
  app.route(
    contractRoute(endpoints.getCustomersReport, (request) => app.reportsRepository.customersReport(request.deadline)),
  );
};

export default reports;
