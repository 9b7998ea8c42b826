import { describe, expect, it } from 'vitest';
import { withFirstScreen } from './first-screens.js';

/** index.html as the server holds it: its scripts already after the content (scripts-after-content.ts). */
const INDEX_HTML = [
  '<!doctype html>',
  '<html lang="en">',
  '  <head>',
  '    <title>Tandem</title>',
  '  </head>',
  '  <body>',
  '    <div id="app"></div>',
  '    <script type="module" crossorigin src="/assets/index-B1x2c3d4.js"></script>',
  '  </body>',
  '</html>',
].join('\n');
const PLACEHOLDER = 'https://api-origin.tandem.invalid';
const SCREEN = {
  html: `<h1>Orders</h1><footer>API <code>${PLACEHOLDER}</code></footer>`,
  modulepreload: ['/assets/OrdersPage-a1.js'],
  stylesheets: ['/assets/OrdersPage-a1.css'],
};

describe('a page with its first screen', () => {
  it('has the markup inside <div id="app">, with the run’s API origin in place of the placeholder', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://api.example.test');
    expect(page).toContain(
      '<div id="app"><h1>Orders</h1><footer>API <code>https://api.example.test</code></footer></div>',
    );
    expect(page).not.toContain(PLACEHOLDER);
  });

  it('links its route’s stylesheets from the head: its first paint needs them', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://api.example.test');
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).toContain('<link rel="stylesheet" crossorigin href="/assets/OrdersPage-a1.css">');
  });

  it('preloads its route’s chunks after its markup, after index.html’s own script', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://api.example.test');
    const preload = page.indexOf('<link rel="modulepreload" crossorigin href="/assets/OrdersPage-a1.js">');
    expect(preload).toBeGreaterThan(page.indexOf('<h1>Orders</h1>'));
    expect(preload).toBeGreaterThan(page.indexOf('index-B1x2c3d4.js'));
    expect(preload).toBeLessThan(page.indexOf('</body>'));
  });

  it('escapes the API origin as HTML text', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://a.test/?x=<b>&y="1"');
    expect(page).toContain('<code>https://a.test/?x=&lt;b&gt;&amp;y=&quot;1&quot;</code>');
  });

  it('needs an empty <div id="app">, a </head> and a </body> to go into', () => {
    expect(() => withFirstScreen(INDEX_HTML.replace('<div id="app"></div>', ''), SCREEN, PLACEHOLDER, 'x')).toThrow(
      /div id="app"/,
    );
    expect(() => withFirstScreen(INDEX_HTML.replace('</head>', ''), SCREEN, PLACEHOLDER, 'x')).toThrow(/<\/head>/);
    expect(() => withFirstScreen(INDEX_HTML.replace('</body>', ''), SCREEN, PLACEHOLDER, 'x')).toThrow(/<\/body>/);
  });
});
