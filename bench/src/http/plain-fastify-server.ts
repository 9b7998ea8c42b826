// A reference: Fastify 5 as Tandem's API starts it (HTTP/2 secure server, HTTP/1.1 allowed
// on the same port, logger at warn) with one route, GET /api/v1/orders, answering the bytes
// captured from Tandem's route with their content type. No plugins, no schema, no hooks.
// It exists to measure the framework's own cost: the bare node:http2 server is the ceiling
// for the bytes, this is the ceiling for any Fastify route, so Tandem's gap to the target
// splits into what Fastify itself takes and what Tandem's chain adds on top.
// argv: <port> <body file> <content type> <cert file> <key file>
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, bodyFile, contentType, certFile, keyFile] = process.argv.slice(2);
if (!port || !bodyFile || !contentType || !certFile || !keyFile) {
  console.error('usage: plain-fastify-server <port> <body file> <content type> <cert file> <key file>');
  process.exit(2);
}
const body = readFileSync(bodyFile);

const app = Fastify({
  http2: true,
  https: { allowHTTP1: true, cert: readFileSync(certFile), key: readFileSync(keyFile) },
  logger: { level: 'warn' },
});
app.get('/api/v1/orders', (_request, reply) => {
  reply.type(contentType).send(body);
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log(`plain Fastify server listening on https://127.0.0.1:${port}`);
// Load clients keep their connections open: exit rather than wait for them.
process.once('SIGTERM', () => process.exit(0));
