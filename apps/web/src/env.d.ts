/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the API over HTTP/2, e.g. https://localhost:8443 (read once, by src/config.ts). */
  readonly VITE_API_URL?: string;
  /** `false` (or 0, no, off) turns real-user monitoring off; default on. */
  readonly VITE_RUM?: string;
  // #region labs
  /** `true` loads the workshop's lab layer (main.ts); default off. */
  readonly VITE_LABS_ENABLED?: string;
  // #endregion labs
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
