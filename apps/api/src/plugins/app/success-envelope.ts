import fp from 'fastify-plugin';

/**
 * Wraps what a handler returns in the success envelope `{ code, message, data,
 * timestamp }`: the one place it is built. Error envelopes come from the error handler
 * (status ≥ 400) and pass through untouched. The route's compiled response schema then
 * serializes the result; nothing here parses or re-encodes it.
 */
export default fp(
  async (app) => {
    app.addHook('preSerialization', (_request, reply, payload, done) => {
      const status = reply.statusCode;
      if (status >= 300) return done(null, payload);
      done(null, { code: status, message: status === 201 ? 'Created' : 'OK', data: payload, timestamp: new Date() });
    });
  },
  { name: 'success-envelope' },
);
