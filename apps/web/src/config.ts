import { z } from 'zod';

const Config = z.object({
  /** The API's origin; the app calls it cross-origin, so CORS is real even in development. */
  apiUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://localhost:8443')
    .transform((url) => url.replace(/\/+$/, '')),
});

/** The app's configuration, read once from Vite's build-time environment. */
export const config = Object.freeze(Config.parse({ apiUrl: import.meta.env.VITE_API_URL || undefined }));
