// The baseline: a bare `node:http2` secure server (HTTP/1.1 allowed on the same port, as
// Tandem's) that answers every request with the same bytes and content type, captured
// from Tandem's route by the benchmark. No routing, no hooks, no serialization.
// With a headers file it also sends those response headers (the ones Tandem's route sends:
// CORS, request id, rate limit, Server-Timing …), a reference for what the headers alone cost.
// argv: <port> <body file> <content type> <cert file> <key file> [<headers file: JSON, name → string>]
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';

const [port, bodyFile, contentType, certFile, keyFile, headersFile] = process.argv.slice(2);
if (!port || !bodyFile || !contentType || !certFile || !keyFile) {
  console.error('usage: bare-h2-server <port> <body file> <content type> <cert file> <key file> [<headers file>]');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const extraHeaders: Record<string, string> = headersFile ? JSON.parse(readFileSync(headersFile, 'utf8')) : {};
for (const [name, value] of Object.entries(extraHeaders)) {
  if (typeof value !== 'string') {
    console.error(`${headersFile}: header ${name} is not a string`);
    process.exit(2);
  }
}
const headers = { ...extraHeaders, 'content-type': contentType, 'content-length': String(body.length) };

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
