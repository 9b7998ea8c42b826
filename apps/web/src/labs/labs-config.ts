import { z } from 'zod';

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const LabsConfig = z.object({
  /**
   * The API on its HTTP/1.1-only listener (`API_H1_PORT`): where the h2-sse lab's naive
   * setting points the tab (lab-seams.ts).
   */
  apiH1Url: BaseUrl.default('https://localhost:8444'),
  /** Where `docs/labs/<id>.md` can be read (e.g. a repository's blob URL); unset: the path is shown as text. */
  docsUrl: BaseUrl.optional(),
});

// Vite sets import.meta.env; Node does not (the lab scripts load this layer there), so
// there every setting takes its default.
const env: Partial<ImportMetaEnv> = import.meta.env ?? {};

/** The lab layer's configuration, read once from Vite's build-time environment (the product's is src/config.ts). */
export const labsConfig = Object.freeze(
  LabsConfig.parse({
    apiH1Url: env.VITE_API_H1_URL || undefined,
    docsUrl: env.VITE_DOCS_URL || undefined,
  }),
);
