import { z } from 'zod';

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const Config = z.object({
  /** The API's origin over HTTP/2; the app calls it cross-origin, so CORS is real even in development. */
  apiUrl: BaseUrl.default('https://localhost:8443'),
  /**
   * The same API on its HTTP/1.1-only listener (`API_H1_PORT`). The SPA talks to it while
   * the h2-sse lab is `naive` (see src/labs/api-origin.ts).
   */
  apiH1Url: BaseUrl.default('https://localhost:8444'),
  /** Where `docs/labs/<id>.md` can be read (e.g. a repository's blob URL); unset: the path is shown as text. */
  docsUrl: BaseUrl.optional(),
  /** Real-user monitoring (src/rum/): web vitals and API call timings beaconed to the API. `false` turns it off. */
  rum: z.stringbool().default(true),
});

// Vite sets import.meta.env; Node does not (the retry-429 lab runs src/api/client.ts there),
// so there every setting takes its default.
const env: Partial<ImportMetaEnv> = import.meta.env ?? {};

/** The app's configuration, read once from Vite's build-time environment. */
export const config = Object.freeze(
  Config.parse({
    apiUrl: env.VITE_API_URL || undefined,
    apiH1Url: env.VITE_API_H1_URL || undefined,
    docsUrl: env.VITE_DOCS_URL || undefined,
    rum: env.VITE_RUM || undefined,
  }),
);
