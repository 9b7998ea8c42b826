import { z } from 'zod';
import { readConfigBlock } from '../read-config-block';

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

/** The lab layer's keys of the config block the web server writes into index.html (server/runtime-config.ts). */
export const LabsConfig = z.object({
  /**
   * The API on its HTTP/1.1-only listener (`API_H1_PORT`): where the h2-sse lab's naive
   * setting points the tab (lab-seams.ts).
   */
  apiH1Url: BaseUrl.default('https://localhost:8444'),
  /** Where `docs/labs/<id>.md` can be read (e.g. a repository's blob URL); unset: the path is shown as text. */
  docsUrl: BaseUrl.optional(),
});

/**
 * The lab layer's configuration, read once from the same config block as the product's
 * (src/config.ts). In Node (the lab scripts load this layer there) there is no document,
 * so every setting takes its default.
 */
export const labsConfig = Object.freeze(readConfigBlock(LabsConfig));
