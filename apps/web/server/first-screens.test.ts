import { describe, expect, it } from 'vitest';
import { withFirstScreen } from './first-screens.js';

const INDEX_HTML = [
  '<!doctype html>',
  '<html lang="en">',
  '  <head>',
  '    <script type="module" crossorigin src="/assets/index-B1x2c3d4.js"></script>',
  '  </head>',
  '  <body>',
  '    <div id="app"></div>',
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

  it('preloads its route’s chunks and stylesheets from the head, after index.html’s own', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://api.example.test');
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/OrdersPage-a1.js">');
    expect(head).toContain('<link rel="stylesheet" crossorigin href="/assets/OrdersPage-a1.css">');
    expect(head.indexOf('index-B1x2c3d4.js')).toBeLessThan(head.indexOf('OrdersPage-a1.js'));
  });

  it('escapes the API origin as HTML text', () => {
    const page = withFirstScreen(INDEX_HTML, SCREEN, PLACEHOLDER, 'https://a.test/?x=<b>&y="1"');
    expect(page).toContain('<code>https://a.test/?x=&lt;b&gt;&amp;y=&quot;1&quot;</code>');
  });

  it('needs an empty <div id="app"> and a </head> to go into', () => {
    expect(() => withFirstScreen(INDEX_HTML.replace('<div id="app"></div>', ''), SCREEN, PLACEHOLDER, 'x')).toThrow(
      /div id="app"/,
    );
    expect(() => withFirstScreen(INDEX_HTML.replace('</head>', ''), SCREEN, PLACEHOLDER, 'x')).toThrow(/<\/head>/);
  });
});
