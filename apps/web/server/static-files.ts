import { relative } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { cacheControlOf } from './cache-control.js';

/**
 * Serves the build's files from `distDir`: the `.br` or `.gz` written beside each one at
 * build time when the request accepts it (`Vary: Accept-Encoding` either way), hashed
 * assets cached for good, the rest revalidated. index.html is not served from here
 * (index-page.ts adds the config block); a file that is not there is the not-found
 * handler's to answer.
 */
export async function serveStaticFiles(app: FastifyInstance, distDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: distDir,
    index: false,
    // One route per file of the build, listed once at start: the build never changes while
    // it is served. The default wildcard route instead reads the root folder and assets/ on
    // every request (to refuse a differently spelled path) — twice more for each precompressed
    // variant a small file does not have.
    wildcard: false,
    // index-page.ts answers /index.html (with the config block).
    globIgnore: ['index.html'],
    preCompressed: true,
    // .vite/manifest.json is the build's, not the site's.
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', cacheControlOf(relative(distDir, file)));
    },
  });
}
