import { endpoints } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';

/**
 * `GET /api/v1/ws` without an Upgrade (or over HTTP/2, which has none): a 400 envelope
 * saying how to connect. The WebSocket itself is plugins/app/live-socket.ts, on the
 * servers' 'upgrade' event, which never reaches the router.
 */
const ws: FastifyPluginAsync = async (app) => {
  app.route(
    contractRoute(endpoints.liveSocket, async () => {
      throw new AppError('VALIDATION_FAILED', {
        message: 'This endpoint is a WebSocket: connect with an HTTP/1.1 Upgrade (new WebSocket(url)).',
        issues: [{ path: 'headers.upgrade', message: 'Expected "websocket"' }],
      });
    }),
  );
};

export default ws;
