import { z } from 'zod';

/**
 * Text the API stores. PostgreSQL's `text` cannot hold U+0000 (NUL): a NUL reaching the
 * database fails the query, a 500. The contract refuses it at the edge instead, as a 400
 * naming the field, and says so in OpenAPI (`pattern`).
 */
export function storedText() {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is the point of the check
  return z.string().regex(/^[^\u0000]*$/, 'Cannot contain the NUL character (U+0000).');
}
