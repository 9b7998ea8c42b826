import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';

const reports: FastifyPluginAsync = async (app) => {
  app.route(
    contractRoute(endpoints.getOrdersReport, (request) => app.reportsRepository.ordersReport(request.deadline)),
  );
  app.route(
    contractRoute(endpoints.getCustomersReport, (request) => app.reportsRepository.customersReport(request.deadline)),
  );
};

export default reports;
