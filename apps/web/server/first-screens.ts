import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the build writes the pre-rendered first screens (vite-plugins/first-screens.ts, which
 * writes the same path and shape: the server compiles on its own, so it is written out here).
 */
export const FIRST_SCREENS_FILE = join('.vite', 'first-screens.json');

/** One page's first screen: the markup for `<div id="app">` and the files its route loads. */
export interface FirstScreen {
  html: string;
  /** Its route's chunks, beyond what index.html modulepreloads already. */
  modulepreload: string[];
  stylesheets: string[];
}

export interface FirstScreens {
  /** Stands for the API origin in the markup, to be replaced by the run's. */
  apiOriginPlaceholder: string;
  /** By path (`/orders`). */
  pages: Record<string, FirstScreen>;
}

/** The build's first screens; none when the build has no such file (every page is then the plain shell). */
export function readFirstScreens(distDir: string): FirstScreens {
  let text: string;
  try {
    text = readFileSync(join(distDir, FIRST_SCREENS_FILE), 'utf8');
  } catch {
    return { apiOriginPlaceholder: '', pages: {} };
  }
  return JSON.parse(text) as FirstScreens;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char] ?? char);

/**
 * index.html with a page's first screen in it: the markup inside `<div id="app">` (the run's
 * API origin in place of the placeholder) and its route's files preloaded from the head, so
 * the browser fetches them with index.html's own scripts.
 */
export function withFirstScreen(
  indexHtml: string,
  screen: FirstScreen,
  placeholder: string,
  apiOrigin: string,
): string {
  const mount = '<div id="app"></div>';
  if (!indexHtml.includes(mount)) throw new Error(`index.html has no empty ${mount} to put a first screen in`);
  const end = indexHtml.indexOf('</head>');
  if (end === -1) throw new Error('index.html has no </head> to put the route’s preloads before');
  const links = [
    ...screen.modulepreload.map((href) => `<link rel="modulepreload" crossorigin href="${escapeHtml(href)}">`),
    ...screen.stylesheets.map((href) => `<link rel="stylesheet" crossorigin href="${escapeHtml(href)}">`),
  ].map((link) => `  ${link}\n  `);
  const markup = placeholder ? screen.html.replaceAll(placeholder, escapeHtml(apiOrigin)) : screen.html;
  return `${indexHtml.slice(0, end)}${links.join('')}${indexHtml.slice(end)}`.replace(
    mount,
    `<div id="app">${markup}</div>`,
  );
}
