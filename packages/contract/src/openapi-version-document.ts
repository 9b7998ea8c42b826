import { type ApiVersion, apiVersionOfPath } from './api-versions.js';
import { buildOpenApiDocument } from './openapi.js';

type JsonSchema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

/**
 * The OpenAPI document of one API version (contracts/openapi.v1.json, …v2.json): only the
 * operations under `/api/<version>`, with paths relative to the server URL `/api/<version>`,
 * so one operation has the same key (`/orders/{id}`) in every version and two versions can
 * be diffed path by path. Components are the ones its operations reach. The unversioned
 * operations (/healthz, /metrics, /api/version) are only in the whole document.
 */
export function buildVersionOpenApiDocument(version: ApiVersion): JsonSchema {
  const whole = buildOpenApiDocument() as {
    info: JsonSchema;
    paths: Record<string, unknown>;
    components: { schemas: Record<string, unknown>; securitySchemes: unknown };
  };
  const prefix = `/api/${version}`;

  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(whole.paths)) {
    if (apiVersionOfPath(path) !== version) continue;
    paths[path.slice(prefix.length) || '/'] = item;
  }

  return {
    openapi: '3.1.0',
    info: {
      ...whole.info,
      title: `Tandem API ${version}`,
      version: `${version.slice(1)}.0.0`,
    },
    servers: [{ url: prefix, description: `Relative to the API's origin (https://localhost:8443 in development).` }],
    paths,
    components: {
      schemas: reachableSchemas(paths, whole.components.schemas),
      securitySchemes: whole.components.securitySchemes,
    },
  };
}

/** The components `from` refers to, directly or through other components, in the whole document's order. */
function reachableSchemas(from: unknown, schemas: Record<string, unknown>): Record<string, unknown> {
  const reached = new Set<string>();
  const pending = [...refsIn(from)];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (reached.has(name)) continue;
    if (!(name in schemas)) throw new Error(`$ref to a missing component: ${name}`);
    reached.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)
      ? [value.slice(REF_PREFIX.length)]
      : refsIn(value),
  );
}
