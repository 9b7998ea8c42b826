import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's per-request log lines, with one addition: the completion line carries the
 * `Server-Timing` header the response was sent with (`serverTiming: "app;dur=…, db;dur=…"`),
 * so a request's server-side story (`pnpm trace <request-id>`) shows where its time went
 * next to what the browser read back. Read only when the line is written.
 */
export class RequestLogController extends LogController {
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (this.isLogDisabled(request)) return;
    const serverTiming = reply.getHeader('server-timing');
    if (serverTiming === undefined) {
      super.requestCompleted(error, request, reply, metadata);
    } else if (error) {
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime, serverTiming }, 'request errored');
    } else {
      reply.log.info({ res: reply, responseTime: reply.elapsedTime, serverTiming }, 'request completed');
    }
  }
}
