import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Config } from './config';
import { CONFIG_BLOCK_ID, type ConfigBlockRoot, readConfigBlock } from './read-config-block';

/** A document holding one element with this id and text, as the web server's page would. */
function documentWith(text: string | undefined): ConfigBlockRoot {
  return {
    getElementById: (id: string) => (id === CONFIG_BLOCK_ID && text !== undefined ? { textContent: text } : null),
  } as unknown as ConfigBlockRoot;
}

describe('readConfigBlock', () => {
  it('reads and validates the block the server wrote', () => {
    const config = readConfigBlock(Config, documentWith('{"apiUrl":"https://api.example.test/","rum":false}'));
    expect(config).toMatchObject({ apiUrl: 'https://api.example.test', rum: false });
  });

  it('gives every setting its default without a document (Node) or without a block', () => {
    const defaults = { apiUrl: 'https://localhost:8443', rum: true };
    expect(readConfigBlock(Config, undefined)).toMatchObject(defaults);
    expect(readConfigBlock(Config, documentWith(undefined))).toMatchObject(defaults);
    expect(readConfigBlock(Config, documentWith('  '))).toMatchObject(defaults);
  });

  it('refuses a block that is not JSON, or not what the schema allows, naming the block', () => {
    expect(() => readConfigBlock(Config, documentWith('{apiUrl:'))).toThrow(/#tandem-config in index.html is not JSON/);
    expect(() => readConfigBlock(Config, documentWith('{"apiUrl":"ftp://x","rum":"yes"}'))).toThrow(
      /#tandem-config in index.html is invalid:[\s\S]*apiUrl[\s\S]*rum/,
    );
  });

  it('leaves keys it does not know to other readers', () => {
    const Other = z.object({ other: z.number() });
    expect(readConfigBlock(Other, documentWith('{"apiUrl":"https://a.test","other":1}'))).toEqual({ other: 1 });
  });
});
