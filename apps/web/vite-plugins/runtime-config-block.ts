import type { Plugin } from 'vite';
import { withConfigBlock } from '../server/config-block.js';
import { loadRuntimeConfig, type RuntimeConfig } from '../server/runtime-config.js';

/**
 * `vite dev` puts the same config block in index.html as the web server, from the same
 * variables (WEB_API_URL, …) through the same functions, so the SPA reads its settings one
 * way in development and in production. Builds carry no block: the server adds it.
 */
export function runtimeConfigBlock(env: NodeJS.ProcessEnv = process.env): Plugin {
  let config: RuntimeConfig | undefined;
  return {
    name: 'tandem:runtime-config-block',
    apply: 'serve',
    // Read once, when the dev server starts: a bad variable stops it with the variable's name.
    configResolved() {
      config = loadRuntimeConfig(env);
    },
    transformIndexHtml: (html) => (config ? withConfigBlock(html, config) : html),
  };
}
