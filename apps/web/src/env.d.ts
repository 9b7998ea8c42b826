/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the API over HTTP/2, e.g. https://localhost:8443 (read once, by src/config.ts). */
  readonly VITE_API_URL?: string;
  /** Origin of the API's HTTP/1.1-only listener, e.g. https://localhost:8444 (the h2-sse lab's naive side). */
  readonly VITE_API_H1_URL?: string;
  /** Base URL the lab pages' repository paths are appended to, e.g. https://github.com/you/tandem/blob/main */
  readonly VITE_DOCS_URL?: string;
  /** `false` (or 0, no, off) turns real-user monitoring off; default on. */
  readonly VITE_RUM?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
