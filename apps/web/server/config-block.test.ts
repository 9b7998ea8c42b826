import { describe, expect, it } from 'vitest';
import { Config } from '../src/config.js';
import { CONFIG_BLOCK_ID, readConfigBlock } from '../src/read-config-block.js';
import { configBlock, CONFIG_BLOCK_ID as WRITTEN_ID, withConfigBlock } from './config-block.js';

/** The block's text as a browser's getElementById would give it, from the page the server sends. */
function pageRoot(html: string) {
  const match = new RegExp(`<script type="application/json" id="${CONFIG_BLOCK_ID}">(.*?)</script>`, 's').exec(html);
  return {
    getElementById: (id: string) => (id === CONFIG_BLOCK_ID && match ? { textContent: match[1] ?? '' } : null),
  } as unknown as Pick<Document, 'getElementById'>;
}

describe('the config block', () => {
  it('has the id the SPA looks it up by', () => {
    expect(WRITTEN_ID).toBe(CONFIG_BLOCK_ID);
  });

  it('is a JSON data block (never executed) that the SPA reads back as written', () => {
    const html = withConfigBlock('<html><head><title>T</title></head><body></body></html>', {
      apiUrl: 'https://api.example.test',
      rum: false,
    });
    expect(html).toContain(
      `<script type="application/json" id="tandem-config">{"apiUrl":"https://api.example.test","rum":false}</script>`,
    );
    expect(html.indexOf('tandem-config')).toBeLessThan(html.indexOf('</head>'));
    expect(readConfigBlock(Config, pageRoot(html))).toMatchObject({ apiUrl: 'https://api.example.test', rum: false });
  });

  it('cannot be closed early by a value: <, >, & are escaped and still read back', () => {
    const apiUrl = 'https://example.test/</script><script>alert(1)</script>&';
    const block = configBlock({ apiUrl, rum: true });
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    expect(block).not.toContain('<script>alert');
    const text = block.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
    expect(JSON.parse(text).apiUrl).toBe(apiUrl);
  });

  it('needs a </head> to go into', () => {
    expect(() => withConfigBlock('<p>no head</p>', { apiUrl: 'https://a.test', rum: true })).toThrow(/no <\/head>/);
  });
});
