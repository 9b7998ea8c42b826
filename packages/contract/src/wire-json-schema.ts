import { z } from 'zod';

/**
 * The JSON Schema of a contract schema's wire form, self-contained (no `$ref`), for
 * tools that compile schemas ahead of time: the API hands it to fast-json-stringify so
 * responses are serialized by compiled code instead of a per-response Zod encode.
 * Dates are `type: string, format: date-time`; fast-json-stringify writes a `Date`
 * there as `toISOString()`, the same string the date codec's `encode` gives.
 */
export function wireJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    // An empty metadata registry: no schema has an id, so every one is inlined.
    metadata: z.registry<{ id?: string }>(),
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
