// Everything a k6 script reads from the environment, with the same names and defaults
// as the app's .env.example. Override with `k6 run -e BASE_URL=https://… script.ts`.
export const config = {
  /** The API origin; HTTP/2 over TLS (self-signed in development). */
  baseUrl: (__ENV.BASE_URL ?? 'https://localhost:8443').replace(/\/$/, ''),
  // #region labs
  /** The API's HTTP/1.1-only listener (API_H1_PORT): the h2-sse lab's naive side. */
  apiH1Url: (__ENV.API_H1_URL ?? 'https://localhost:8444').replace(/\/$/, ''),
  // #endregion labs
  /** The account a scenario signs in as (lib/session.ts): the demo user, whose password `npm run demo` prints. */
  email: __ENV.TANDEM_EMAIL ?? 'demo@tandem.local',
  /** Its password; for the demo accounts the API's DEMO_PASSWORD. */
  password: __ENV.TANDEM_PASSWORD ?? __ENV.DEMO_PASSWORD ?? '',
  /** The load profile from lib/profiles.ts. */
  profile: __ENV.PROFILE ?? 'smoke',
  /** An origin in the API's CORS_ORIGINS: the live socket refuses others. */
  webOrigin: __ENV.WEB_ORIGIN ?? 'https://localhost:5173',
  /** HTTP/2 is what Tandem serves; set EXPECT_PROTO=HTTP/1.1 against an HTTP/1.1 listener. */
  expectProto: __ENV.EXPECT_PROTO ?? 'HTTP/2.0',
  // #region labs
  /** The setting a lab scenario measures (scenarios/labs/): naive | tuned. */
  labMode: labMode(__ENV.LAB_MODE ?? 'tuned'),
  /** The API's ADMIN_TOKEN: given, a lab scenario flips its lab to LAB_MODE and back. */
  adminToken: __ENV.ADMIN_TOKEN || undefined,
  // #endregion labs
  /** The heartbeat lab's server settings (same names as the API's), to size the silence. */
  wsPingIntervalMs: wholeMs('WS_PING_INTERVAL_MS', 30_000),
  wsPongTimeoutMs: wholeMs('WS_PONG_TIMEOUT_MS', 10_000),
};

// #region labs
export type LabMode = 'naive' | 'tuned';

function labMode(value: string): LabMode {
  if (value !== 'naive' && value !== 'tuned') throw new Error(`LAB_MODE must be naive or tuned, not "${value}"`);
  return value;
}
// #endregion labs

function wholeMs(name: string, fallback: number): number {
  const text = __ENV[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number of ms > 0, not "${text}"`);
  return value;
}
