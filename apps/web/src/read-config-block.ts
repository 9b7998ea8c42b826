import { z } from 'zod';

/** The id of the block (server/config-block.ts writes it with the same id). */
export const CONFIG_BLOCK_ID = 'tandem-config';

/** Where the block is looked up: the page's document; none in Node (a lab script loads the client there). */
export type ConfigBlockRoot = Pick<Document, 'getElementById'> | undefined;

/**
 * The settings the web server wrote into index.html (a JSON block, never executed, so the
 * CSP allows it and no request stands before the first paint), validated by `schema`.
 * Without a document or without the block, `schema` gets `{}`: every setting its default.
 * A block that is not JSON, or not what `schema` allows, throws: the server wrote it wrong.
 */
export function readConfigBlock<T extends z.ZodType>(
  schema: T,
  root: ConfigBlockRoot = globalThis.document,
): z.output<T> {
  const text = root?.getElementById(CONFIG_BLOCK_ID)?.textContent ?? '';
  let block: unknown = {};
  if (text.trim() !== '') {
    try {
      block = JSON.parse(text);
    } catch (error) {
      throw new Error(`The config block #${CONFIG_BLOCK_ID} in index.html is not JSON: ${(error as Error).message}`);
    }
  }
  const parsed = schema.safeParse(block);
  if (!parsed.success) {
    throw new Error(`The config block #${CONFIG_BLOCK_ID} in index.html is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
