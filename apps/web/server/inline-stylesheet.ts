import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** index.html's own stylesheets: the app's styles, which every page needs for its first paint. */
const STYLESHEET_LINK = /<link rel="stylesheet" crossorigin href="(\/assets\/[^"]+\.css)">/g;

/**
 * index.html with its stylesheets written into it as `<style>`, and the CSP source of each
 * (`'sha256-…'`, for `style-src`): the first paint of a pre-rendered page then waits for the
 * HTML only, not for a stylesheet that would arrive with the scripts. A stylesheet that could
 * close its element early stays a link.
 */
export function inlineStylesheets(indexHtml: string, distDir: string): { html: string; styleHashes: string[] } {
  const styleHashes: string[] = [];
  const html = indexHtml.replace(STYLESHEET_LINK, (link, href: string) => {
    const css = readFileSync(join(distDir, href), 'utf8');
    if (/<\/style/i.test(css)) return link;
    styleHashes.push(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    return `<style>${css}</style>`;
  });
  return { html, styleHashes };
}
