import type { RuntimeConfig } from './runtime-config.js';

/**
 * The id the SPA looks the block up by (src/read-config-block.ts; config-block.test.ts reads
 * what this file writes with the SPA's own reader). Written out, not imported: the server
 * compiles on its own (server/ → dist-server/, at the same depth in the repository).
 */
export const CONFIG_BLOCK_ID = 'tandem-config';

/**
 * The SPA's settings as a JSON data block: not executed (so `script-src 'self'` allows it)
 * and in the page itself (so nothing waits for a request before the first paint).
 * `<`, `>`, `&` and the two JS line separators are escaped, so no value can close the tag.
 */
export function configBlock(config: RuntimeConfig): string {
  const json = JSON.stringify(config).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `<script type="application/json" id="${CONFIG_BLOCK_ID}">${json}</script>`;
}

/** index.html with the config block as the last element of its head (before any module script runs). */
export function withConfigBlock(html: string, config: RuntimeConfig): string {
  const end = html.indexOf('</head>');
  if (end === -1) throw new Error('index.html has no </head> to put the config block before');
  return `${html.slice(0, end)}${configBlock(config)}\n  ${html.slice(end)}`;
}
