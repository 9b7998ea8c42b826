import type { CorsPreflightPolicy } from '../plugins/external/cors.js';
import { defineLab } from './define-lab.js';

/**
 * No `Access-Control-Max-Age` (Chromium then caches a preflight 5 s), and the headers the
 * preflight asked for echoed back, so a cached answer covers only the header set it was
 * made for: a call with one more header pays another preflight.
 */
export const UNCACHED_PREFLIGHT: CorsPreflightPolicy = Object.freeze({ maxAge: null, allowedHeaders: null });

/**
 * cors-preflight, the server's half: what a preflight is answered with
 * (plugins/external/cors.ts, `app.corsPreflight`). The SPA's half, which calls need a
 * preflight at all, is in apps/web/src/labs/.
 */
export const corsPreflightLab = defineLab('cors-preflight', {
  naive: (seams) => seams.corsPreflight.set(UNCACHED_PREFLIGHT),
  // The product's CACHED_PREFLIGHT: the browser's cap (2 h) as max-age, one complete sorted list.
  tuned: (seams) => seams.corsPreflight.reset(),
});
