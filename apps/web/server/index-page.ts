import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REVALIDATE } from './cache-control.js';
import { isClientRoute } from './client-route.js';
import { withConfigBlock } from './config-block.js';
import { type FirstScreens, withFirstScreen } from './first-screens.js';
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

interface Page {
  body: string;
  etag: string;
}

const pageOf = (body: string): Page => ({
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

/** `/orders/` is `/orders` to the router, and so to the pages here. */
const withoutTrailingSlash = (urlPath: string) => (urlPath.length > 1 ? urlPath.replace(/\/+$/, '') : urlPath);

/**
 * index.html with the config block, rendered once at start: at `/`, `/index.html` and, as
 * the SPA fallback, at every client route (client-route.ts) no file answers. A path the build
 * pre-rendered (first-screens.ts: `/orders`, …) gets the page with its first screen in it;
 * any other (an order's id, a path the app does not know) the plain shell, which the app
 * renders in the browser. Never cached without asking (`no-cache` + ETag): a new deployment's
 * page names new hashed assets. Anything else not found is a plain 404.
 */
export function serveIndexPage(
  app: FastifyInstance,
  indexHtml: string,
  runtime: RuntimeConfig,
  firstScreens: FirstScreens,
): void {
  const shell = pageOf(withConfigBlock(indexHtml, runtime));
  const preRendered = new Map(
    Object.entries(firstScreens.pages).map(([path, screen]) => [
      path,
      pageOf(
        withConfigBlock(withFirstScreen(indexHtml, screen, firstScreens.apiOriginPlaceholder, runtime.apiUrl), runtime),
      ),
    ]),
  );

  const sendPage = (page: Page, request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', REVALIDATE).header('etag', page.etag);
    if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(page.body);
  };
  const sendPageOf = (urlPath: string, request: FastifyRequest, reply: FastifyReply) =>
    sendPage(preRendered.get(withoutTrailingSlash(urlPath)) ?? shell, request, reply);

  app.get('/', (request, reply) => sendPageOf('/', request, reply));
  app.get('/index.html', (request, reply) => sendPage(shell, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const urlPath = request.url.split('?', 1)[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && isClientRoute(urlPath)) {
      return sendPageOf(urlPath, request, reply);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });
}
