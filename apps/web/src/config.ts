import { z } from 'zod';
import { readConfigBlock } from './read-config-block';

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

/** The SPA's settings as the web server writes them into index.html (server/runtime-config.ts). */
export const Config = z.object({
  /** The API's origin over HTTP/2; the app calls it cross-origin, so CORS is real even in development. */
  apiUrl: BaseUrl.default('https://localhost:8443'),
  /** Real-user monitoring (src/rum/): web vitals and API call timings beaconed to the API. `false` turns it off. */
  rum: z.boolean().default(true),
  // #region labs
  /**
   * The workshop's lab layer (the Lab console, the labs' settings applied to this tab),
   * loaded by main.ts with import() only when true. Off by default: the page then loads
   * none of it and asks nothing about labs.
   */
  labs: z.boolean().default(false),
  // #endregion labs
});

/**
 * The app's configuration, read once at start from the config block the web server put in
 * index.html (read-config-block.ts): the same build runs against any API. In Node (a lab
 * script runs src/api/client.ts there) there is no document, so every setting takes its default.
 */
export const config = Object.freeze(readConfigBlock(Config));
