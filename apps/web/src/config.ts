import { z } from 'zod';

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const Config = z.object({
  /** The API's origin over HTTP/2; the app calls it cross-origin, so CORS is real even in development. */
  apiUrl: BaseUrl.default('https://localhost:8443'),
  /** Real-user monitoring (src/rum/): web vitals and API call timings beaconed to the API. `false` turns it off. */
  rum: z.stringbool().default(true),
  // #region labs
  /**
   * The workshop's lab layer (the Lab console, the labs' settings applied to this tab),
   * loaded by main.ts with import() only when true. Off by default: the bundle then holds
   * none of it and asks nothing about labs.
   */
  labs: z.stringbool().default(false),
  // #endregion labs
});

// Vite sets import.meta.env; Node does not (a lab script runs src/api/client.ts there), so
// there every setting takes its default.
const env: Partial<ImportMetaEnv> = import.meta.env ?? {};

/** The app's configuration, read once from Vite's build-time environment. */
export const config = Object.freeze(
  Config.parse({
    apiUrl: env.VITE_API_URL || undefined,
    rum: env.VITE_RUM || undefined,
    labs: env.VITE_LABS_ENABLED || undefined, // #labs
  }),
);
