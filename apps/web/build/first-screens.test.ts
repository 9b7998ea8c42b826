import { describe, expect, it } from 'vitest';
import { useProductionBuild } from '../test/production-build';

// The production build of the current code, and the first screens it pre-rendered.
const build = useProductionBuild();

interface FirstScreensFile {
  apiOriginPlaceholder: string;
  pages: Record<string, { html: string; modulepreload: string[]; stylesheets: string[] }>;
}
const firstScreens = () => JSON.parse(build.read('.vite/first-screens.json')) as FirstScreensFile;

describe('the first screens the build pre-renders', () => {
  it('are the static pages one reads, not a form: /, /orders, /customers', () => {
    expect(Object.keys(firstScreens().pages).sort()).toEqual(['/', '/customers', '/orders']);
  });

  it('hold the orders page’s heading, its activity hint (the LCP element) and its loading state', () => {
    const { html } = firstScreens().pages['/orders'] ?? { html: '' };
    expect(html).toContain('<h1>Orders</h1>');
    expect(html).toContain('<p class="hint">Order activity appears here as it happens.</p>');
    expect(html).toContain('Loading orders…');
    expect(html).toContain('<nav aria-label="Main">');
  });

  it('leave the API origin to the server and hold nothing the CSP would block', () => {
    const file = firstScreens();
    for (const [path, { html }] of Object.entries(file.pages)) {
      expect(html, path).toContain(`<code>${file.apiOriginPlaceholder}</code>`);
      expect(html, path).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('preload the chunk of the page’s own route, which index.html does not', () => {
    const file = firstScreens();
    const ordersPage = `/${build.chunk('src/pages/OrdersPage.vue').file}`;
    expect(file.pages['/orders']?.modulepreload).toContain(ordersPage);
    expect(build.read('index.html')).not.toContain(ordersPage);
    for (const { modulepreload, stylesheets } of Object.values(file.pages)) {
      for (const href of [...modulepreload, ...stylesheets])
        expect(() => build.read(href.slice(1)), href).not.toThrow();
    }
  });
});
