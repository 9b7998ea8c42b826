import { z } from 'zod';
import { SESSION_COOKIE } from './accounts.js';
import { endpoints } from './all-endpoints.js';
import type { BodyMediaType, Endpoint } from './endpoint.js';
import { ErrorEnvelope } from './envelope.js';
import { shedWhenOverloaded } from './load-shedding.js';

const REF_PREFIX = '#/components/schemas/';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the contract. Schemas are the wire form (`io: 'input'`):
 * a `Date` in memory is the RFC 3339 string the codec reads. Every schema with a
 * `.meta({ id })` becomes a component; operations refer to them.
 */
export function buildOpenApiDocument(): JsonSchema {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `${REF_PREFIX}${id}`,
  });
  for (const schema of Object.values(schemas)) {
    // A component's `$id` would be a fragment-only URI, which JSON Schema 2020-12 forbids.
    delete (schema as JsonSchema).$schema;
    delete (schema as JsonSchema).$id;
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    const openApiPath = endpoint.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[openApiPath] ??= {};
    paths[openApiPath][endpoint.method.toLowerCase()] = operationOf(operationId, endpoint, schemas);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1.0.0',
      description:
        'Every answer is an envelope `{ code, message, data, timestamp }`. Generated from packages/contract; do not edit by hand.',
    },
    servers: [{ url: 'https://localhost:8443', description: 'Local development (HTTP/2 over TLS)' }],
    paths,
    components: {
      // By name: the registry's order is the order modules happened to load in.
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN the API was started with.' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'The session a sign-in or sign-up sets (Secure, HttpOnly, SameSite=Lax, Path=/). Mutations from a browser must also come from an allowed Origin.',
        },
      },
    },
  };
}

function operationOf(operationId: string, endpoint: Endpoint, schemas: Record<string, unknown>) {
  const parameters = [
    ...parametersOf(endpoint.params, 'path', schemas),
    ...parametersOf(endpoint.query, 'query', schemas),
    ...parametersOf(endpoint.headers, 'header', schemas),
  ];
  const responses: Record<string, unknown> = {};
  const answers = shedWhenOverloaded(endpoint) ? { ...endpoint.responses, 503: ErrorEnvelope } : endpoint.responses;
  for (const [status, schema] of Object.entries(answers)) {
    const code = Number(status);
    const success = code < 300;
    if (success && endpoint.produces === 'websocket') {
      responses[status] = {
        description: 'Switching Protocols (WebSocket). Server frames are the schema below; see x-websocket-messages.',
      };
      continue;
    }
    const mediaType = !success
      ? 'application/json'
      : endpoint.produces === 'text/event-stream'
        ? 'text/event-stream'
        : endpoint.produces === 'prometheus'
          ? 'text/plain'
          : 'application/json';
    responses[status] = {
      description: describeStatus(code),
      content: { [mediaType]: { schema: refOrInline(schema) } },
    };
  }
  return {
    operationId,
    summary: endpoint.summary,
    tags: [...endpoint.tags],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body ? { requestBody: requestBodyOf(endpoint.body, endpoint.bodyMediaTypes) } : {}),
    security: SECURITY[endpoint.auth],
    ...(endpoint.rateLimit ? { 'x-rate-limit': { cost: 'one', ...endpoint.rateLimit } } : {}),
    ...(endpoint.messages
      ? {
          'x-websocket-messages': {
            fromServer: refOrInline(endpoint.messages.fromServer),
            fromClient: refOrInline(endpoint.messages.fromClient),
          },
        }
      : {}),
    responses,
  };
}

/** Each endpoint's `security`: `[]` says in the document that the endpoint is public. */
const SECURITY = {
  public: [],
  session: [{ sessionCookie: [] }],
  admin: [{ adminToken: [] }],
} as const satisfies Record<Endpoint['auth'], unknown[]>;

function requestBodyOf(body: z.ZodType, mediaTypes: readonly BodyMediaType[] = ['application/json']) {
  const schema = refOrInline(body);
  return { required: true, content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema }])) };
}

function refOrInline(schema: z.ZodType): JsonSchema {
  return { $ref: `${REF_PREFIX}${idOf(schema)}` };
}

/** Every schema an endpoint names must carry `.meta({ id })`, so it becomes a component. */
function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('An endpoint schema has no .meta({ id }); give it one so OpenAPI can name it.');
  return id;
}

function parametersOf(
  shape: z.ZodObject | undefined,
  location: 'path' | 'query' | 'header',
  schemas: Record<string, unknown>,
) {
  if (!shape) return [];
  const objectSchema = schemas[idOf(shape)] as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(objectSchema.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: location,
      required: location === 'path' || (objectSchema.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function describeStatus(status: number): string {
  const descriptions: Record<number, string> = {
    101: 'Switching Protocols',
    200: 'OK',
    201: 'Created',
    202: 'Accepted',
    400: 'Invalid input; `data.issues` names each field',
    401: 'Not signed in (UNAUTHENTICATED), wrong credentials, or a missing or wrong admin token',
    403: 'Forbidden (the account may not, administration off, or an origin not allowed)',
    404: 'Not found',
    409: 'Conflict with the current state',
    413: 'Body too large',
    415: 'Body is not application/json',
    422: 'The Idempotency-Key was used with a different body',
    429: 'Rate limited; wait `data.retryAfterMs` (also `Retry-After`)',
    500: 'Unexpected error (details hidden)',
    503: 'Not ready (`NOT_READY`), or shedding load (`OVERLOADED`): wait `data.retryAfterMs` (also `Retry-After`)',
    504: 'Deadline exceeded',
  };
  return descriptions[status] ?? `HTTP ${status}`;
}
