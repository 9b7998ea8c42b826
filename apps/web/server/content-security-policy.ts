/**
 * The SPA's Content-Security-Policy: scripts, styles, images and fonts only from its own
 * origin (no inline script, no eval: the config block is JSON, never run; no inline style but
 * the stylesheets the server wrote into index.html, each allowed by its hash, `styleHashes`),
 * connections to its own origin and the API's (`apiOrigins`: https: and wss:), no plugins,
 * no <base>, and no page may frame it.
 */
export function contentSecurityPolicy(apiOrigins: readonly string[], styleHashes: readonly string[] = []): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", ...styleHashes],
    ['img-src', "'self'"],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...apiOrigins],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}
