import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REVALIDATE } from './cache-control.js';
import { isClientRoute } from './client-route.js';
import { withConfigBlock } from './config-block.js';
import type { RuntimeConfig } from './runtime-config.js';

/** The build's index.html, read once; a clear error when the folder holds no build. */
export function readIndexHtml(distDir: string): string {
  const file = join(distDir, 'index.html');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `${file} was not found: WEB_DIST_DIR must be a production build of the SPA (pnpm --filter @tandem/web build)`,
    );
  }
}

/**
 * index.html with the config block, rendered once at start: at `/`, `/index.html` and, as
 * the SPA fallback, at every client route (client-route.ts) no file answers. Never cached
 * without asking (`no-cache` + ETag): a new deployment's page names new hashed assets.
 * Anything else not found is a plain 404.
 */
export function serveIndexPage(app: FastifyInstance, indexHtml: string, runtime: RuntimeConfig): void {
  const page = withConfigBlock(indexHtml, runtime);
  const etag = `"${createHash('sha256').update(page).digest('base64url').slice(0, 27)}"`;

  const sendPage = (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', REVALIDATE).header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(page);
  };

  app.get('/', sendPage);
  app.get('/index.html', sendPage);
  app.setNotFoundHandler((request, reply) => {
    const urlPath = request.url.split('?', 1)[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && isClientRoute(urlPath)) {
      return sendPage(request, reply);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });
}
