// The baseline: a bare `node:http2` secure server (HTTP/1.1 allowed on the same port, as
// Tandem's) that answers every request with the same bytes and content type, captured
// from Tandem's route by the benchmark. No routing, no hooks, no serialization.
// argv: <port> <body file> <content type> <cert file> <key file>
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';

const [port, bodyFile, contentType, certFile, keyFile] = process.argv.slice(2);
if (!port || !bodyFile || !contentType || !certFile || !keyFile) {
  console.error('usage: bare-h2-server <port> <body file> <content type> <cert file> <key file>');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = createSecureServer(
  { allowHTTP1: true, cert: readFileSync(certFile), key: readFileSync(keyFile) },
  (_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  },
);
server.listen(Number(port), '127.0.0.1', () => console.log(`bare server listening on https://127.0.0.1:${port}`));
// Load clients keep their connections open: exit rather than wait for them.
process.once('SIGTERM', () => process.exit(0));
