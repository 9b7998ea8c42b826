// The OpenAPI files the contract generates into contracts/: the whole API, and one document
// per API version (paths relative to `/api/<version>`, so versions can be diffed).
import { fileURLToPath } from 'node:url';
import { API_VERSIONS, type ApiVersion } from '../src/api-versions.js';
import { buildOpenApiDocument } from '../src/openapi.js';
import { buildVersionOpenApiDocument } from '../src/openapi-version-document.js';

export interface OpenApiFile {
  /** Repository-relative, for messages: `contracts/openapi.v1.json`. */
  name: string;
  path: string;
  version?: ApiVersion;
  generate: () => Record<string, unknown>;
}

const contracts = new URL('../../../contracts/', import.meta.url);

export const OPENAPI_FILES: readonly OpenApiFile[] = [
  {
    name: 'contracts/openapi.json',
    path: fileURLToPath(new URL('openapi.json', contracts)),
    generate: buildOpenApiDocument,
  },
  ...API_VERSIONS.map((version) => ({
    name: `contracts/openapi.${version}.json`,
    path: fileURLToPath(new URL(`openapi.${version}.json`, contracts)),
    version,
    generate: () => buildVersionOpenApiDocument(version),
  })),
];

/** The committed text of a document: two-space JSON and a final newline. */
export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function versionFile(version: ApiVersion): OpenApiFile {
  const file = OPENAPI_FILES.find((candidate) => candidate.version === version);
  if (!file) throw new Error(`No OpenAPI file for ${version}`);
  return file;
}
