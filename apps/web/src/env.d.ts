/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the API, e.g. https://localhost:8443 (read once, by src/config.ts). */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
