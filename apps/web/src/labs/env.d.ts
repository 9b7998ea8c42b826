// The lab layer's build-time variables, read by labs-config.ts (the product's are in src/env.d.ts).
interface ImportMetaEnv {
  /** Origin of the API's HTTP/1.1-only listener, e.g. https://localhost:8444 (the h2-sse lab's naive side). */
  readonly VITE_API_H1_URL?: string;
  /** Base URL the lab pages' repository paths are appended to, e.g. https://github.com/you/tandem/blob/main */
  readonly VITE_DOCS_URL?: string;
}
