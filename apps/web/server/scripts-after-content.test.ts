import { describe, expect, it } from 'vitest';
import { withScriptsAfterContent } from './scripts-after-content.js';

/** index.html as Vite writes it: the entry script and its modulepreloads in the head. */
const INDEX_HTML = [
  '<!doctype html>',
  '<html lang="en">',
  '  <head>',
  '    <title>Tandem</title>',
  '    <script type="module" crossorigin src="/assets/index-a1.js"></script>',
  '    <link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">',
  '    <link rel="modulepreload" crossorigin href="/assets/navigation-c3.js">',
  '    <style>h1{color:#1d2623}</style>',
  '  </head>',
  '  <body>',
  '    <div id="app"></div>',
  '  </body>',
  '</html>',
].join('\n');

describe('index.html with its scripts after the content', () => {
  const page = withScriptsAfterContent(INDEX_HTML);
  const head = page.slice(0, page.indexOf('</head>'));
  const afterContent = page.slice(page.indexOf('<div id="app"></div>'), page.indexOf('</body>'));

  it('has no script or modulepreload left in its head, and keeps the rest of the head', () => {
    expect(head).not.toMatch(/<script|modulepreload/);
    expect(head).toContain('<title>Tandem</title>');
    expect(head).toContain('<style>h1{color:#1d2623}</style>');
  });

  it('has them after <div id="app">, in the order Vite wrote them', () => {
    const order = ['index-a1.js', 'vendor-b2.js', 'navigation-c3.js'].map((file) => afterContent.indexOf(file));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(afterContent).toContain('<script type="module" crossorigin src="/assets/index-a1.js"></script>');
  });

  it('needs a </head> and a </body>', () => {
    expect(() => withScriptsAfterContent(INDEX_HTML.replace('</head>', ''))).toThrow(/<\/head>/);
    expect(() => withScriptsAfterContent(INDEX_HTML.replace('</body>', ''))).toThrow(/<\/body>/);
  });
});
