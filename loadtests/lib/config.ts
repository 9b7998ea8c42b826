// Everything a k6 script reads from the environment, with the same names and defaults
// as the app's .env.example. Override with `k6 run -e BASE_URL=https://… script.ts`.
export const config = {
  /** The API origin; HTTP/2 over TLS (self-signed in development). */
  baseUrl: (__ENV.BASE_URL ?? 'https://localhost:8443').replace(/\/$/, ''),
  /** The load profile from lib/profiles.ts. */
  profile: __ENV.PROFILE ?? 'smoke',
  /** An origin in the API's CORS_ORIGINS: the live socket refuses others. */
  webOrigin: __ENV.WEB_ORIGIN ?? 'https://localhost:5173',
  /** HTTP/2 is what Tandem serves; set EXPECT_PROTO=HTTP/1.1 against an HTTP/1.1 listener. */
  expectProto: __ENV.EXPECT_PROTO ?? 'HTTP/2.0',
};
