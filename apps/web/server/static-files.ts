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
    preCompressed: true,
    // .vite/manifest.json is the build's, not the site's.
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', cacheControlOf(relative(distDir, file)));
    },
  });
}
